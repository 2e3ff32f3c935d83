/** The signed-in user as GET /admin/me describes them: what every page shows and offers follows from it. */
import { signal } from '@preact/signals';

export interface Me {
  user: { userId: string; name?: string; email?: string; phone?: string } | null;
  role: string;
  orgUnits: string[];
  pii: boolean;
  permissions: string[];
}

export const me = signal<Me | null>(null);
