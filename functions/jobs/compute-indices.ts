// Placeholder until the handler lands (the platform spine is being built).
export const handler = async () => ({ ok: false });
