/**
 * GET /admin/campaigns: the campaigns a reader may open, newest first, cursor-paginated. A reader
 * whose scope holds the root reads the list of every campaign; any other reader the lists of its
 * own units, each of which shows the campaigns whose whole reach lies below it (the store lists a
 * campaign under the units from the root down to the deepest one above its reach). What the page
 * shows is checked against the scope again: a unit moved since does not widen what one sees.
 */
import { invalid, problemsFromZod } from '../domain/errors';
import { OrgTree } from '../domain/org';
import type { CampaignRecord } from '../domain/records';
import * as z from '../domain/zod';
import type { AccessCheck } from './access';
import type { Deps } from './deps';
import { pageQueryShape, topUnits, withCursor } from './list-pages';

const DEFAULT_PAGE_SIZE = 50;
const listQuerySchema = z.strictObject(pageQueryShape);

export type CampaignKind = 'one-off' | 'recurring' | 'triggered' | 'return-visit';

export interface CampaignSummary {
  campaignId: string;
  name?: string;
  surveyId: string;
  version: number;
  channel: CampaignRecord['channel'];
  kind: CampaignKind;
  createdAt: string;
  expiresAt: string;
  /** Invitations made when it was created (recurring, triggered and return-visit campaigns make more later). */
  invitationCount: number;
  reach: string[];
}

const kindOf = (definition: Record<string, unknown> | undefined): CampaignKind =>
  definition?.trigger ? 'triggered' : definition?.recurrence ? 'recurring' : definition?.schedule ? 'return-visit' : 'one-off';

/** Where a new campaign is listed: the path from the root to the deepest unit above its whole reach. */
export const listedUnderOf = (tree: OrgTree, reach: readonly string[]): string[] => tree.commonPath(reach);

export async function listCampaigns(deps: Pick<Deps, 'store'>, query: unknown, access: AccessCheck): Promise<{ campaigns: CampaignSummary[]; cursor?: string }> {
  const parsed = listQuerySchema.safeParse(query);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid list query');
  const { limit = DEFAULT_PAGE_SIZE, cursor } = parsed.data;
  const scope = await access.scope();
  const under = access.everything || scope.isOrganisationWide ? 'all' : await topUnits(access);
  const page = await withCursor(() => deps.store.listCampaigns(under, limit, cursor));
  const campaigns = page.items
    .filter((campaign) => scope.coversAll(campaign.reach ?? []))
    .map((campaign): CampaignSummary => {
      const name = campaign.definition?.name;
      return {
        campaignId: campaign.campaignId,
        ...(typeof name === 'string' ? { name } : {}),
        surveyId: campaign.surveyId,
        version: campaign.version,
        channel: campaign.channel,
        kind: kindOf(campaign.definition),
        createdAt: campaign.createdAt,
        expiresAt: campaign.expiresAt,
        invitationCount: campaign.invitationCount,
        reach: campaign.reach ?? [],
      };
    });
  return { campaigns, ...(page.cursor ? { cursor: page.cursor } : {}) };
}
