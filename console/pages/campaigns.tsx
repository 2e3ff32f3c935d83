/**
 * Campaigns: the list the user may open, and a campaign's status page with its funnel
 * (functions/domain/distribution/funnel.ts), refreshed every five seconds while it is open, and
 * its invitations (a link campaign's links can be re-issued).
 */
import { useEffect, useState } from 'preact/hooks';
import type { InvitationStatus } from '../../functions/domain/records';
import { api, messageOf } from '../api';
import { t } from '../i18n';
import { me } from '../me';
import { funnelOf } from '../../functions/domain/distribution/funnel';

interface CampaignSummary { campaignId: string; name?: string; surveyId: string; version: number; channel: string; kind: string; createdAt: string; invitationCount: number }
interface CampaignStatus { campaignId: string; surveyId: string; version: number; channel: 'link' | 'sms'; invitations: { invitationId: string; status: InvitationStatus; reason?: string; sentAt?: string; deliveredAt?: string; deliveryFailure?: string }[] }
interface InvitationView { invitationId: string; orgUnitId: string; contact?: { name?: string; phone?: string; email?: string }; status: string; reason?: string; channel: string; deliveredAt?: string; deliveryFailure?: string }

const REFRESH_MS = 5000;

export function CampaignList() {
  const [campaigns, setCampaigns] = useState<CampaignSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    api<{ campaigns: CampaignSummary[] }>('GET', '/admin/campaigns?limit=100').then((page) => setCampaigns(page.campaigns), (error: Error) => setProblem(error.message));
  }, []);
  return (
    <section aria-labelledby="campaigns-title">
      <h1 id="campaigns-title">{t('campaigns')}</h1>
      {me.value?.permissions.includes('campaigns:write') && <p><a class="button" href="#/campaigns/new">{t('newCampaign')}</a></p>}
      {problem && <p role="alert" class="problem">{t('error', { message: problem })}</p>}
      {campaigns === null ? (
        <p>{t('loading')}</p>
      ) : campaigns.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="campaigns-title">
          <table data-testid="campaigns">
            <thead><tr><th scope="col">{t('campaign')}</th><th scope="col">{t('surveys')}</th><th scope="col">{t('channel')}</th><th scope="col">{t('invitations')}</th></tr></thead>
            <tbody>
              {campaigns.map((c) => (
                <tr key={c.campaignId}>
                  <td><a href={`#/campaigns/${c.campaignId}`}>{c.name ?? c.campaignId}</a><br /><small>{c.createdAt.slice(0, 10)} · {c.kind}</small></td>
                  <td><code>{c.surveyId}</code> v{c.version}</td>
                  <td>{c.channel}</td>
                  <td>{c.invitationCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function CampaignStatusPage(props: { campaignId: string }) {
  const [status, setStatus] = useState<CampaignStatus | null>(null);
  const [invitations, setInvitations] = useState<InvitationView[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [reissued, setReissued] = useState<Record<string, string>>({});
  const mayReissue = me.value?.permissions.includes('campaigns:write') ?? false;
  useEffect(() => {
    let stopped = false;
    const refresh = async () => {
      try {
        const [next, page] = await Promise.all([
          api<CampaignStatus>('GET', `/admin/campaigns/${props.campaignId}`),
          api<{ invitations: InvitationView[] }>('GET', `/admin/campaigns/${props.campaignId}/invitations?limit=100`),
        ]);
        if (stopped) return;
        setStatus(next);
        setInvitations(page.invitations);
      } catch (error) {
        if (!stopped) setProblem(messageOf(error));
      }
    };
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [props.campaignId]);
  if (problem) return <p role="alert" class="problem">{t('error', { message: problem })}</p>;
  if (!status) return <p>{t('loading')}</p>;
  return (
    <section aria-labelledby="campaign-title">
      <h1 id="campaign-title">{t('campaign')} <code>{status.campaignId}</code></h1>
      <p><code>{status.surveyId}</code> v{status.version} · {status.channel}</p>
      <h2>{t('funnel')}</h2>
      <dl class="funnel" data-testid="funnel" aria-live="polite">
        {funnelOf(status.invitations, status.channel).map((stage) => (
          <div key={stage.stage} data-stage={stage.stage}>
            <dt>{t(`funnel.${stage.stage}`)}</dt>
            <dd>
              {stage.count}
              {stage.reasons && Object.keys(stage.reasons).length > 0 && <small> ({Object.entries(stage.reasons).map(([reason, n]) => `${reason} ${n}`).join(', ')})</small>}
            </dd>
          </div>
        ))}
      </dl>
      <h2 id="invitations-title">{t('invitations')}</h2>
      <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="invitations-title">
        <table data-testid="invitations">
          <thead><tr><th scope="col">{t('name')}</th><th scope="col">{t('unit')}</th><th scope="col">{t('state')}</th><th scope="col">{t('actions')}</th></tr></thead>
          <tbody>
            {invitations.map((inv) => (
              <tr key={inv.invitationId}>
                <td>{inv.contact?.name ?? ''} {inv.contact?.phone ?? inv.contact?.email ?? ''}</td>
                <td>{inv.orgUnitId}</td>
                <td>{inv.status}{inv.reason ? ` (${inv.reason})` : ''}{inv.deliveredAt ? ` · ${t('funnel.delivered')}` : inv.deliveryFailure ? ` · ${t('funnel.undelivered')} (${inv.deliveryFailure})` : ''}</td>
                <td>
                  {reissued[inv.invitationId] ? (
                    <a href={reissued[inv.invitationId]}>{t('newLink')}</a>
                  ) : (
                    mayReissue && inv.channel === 'link' && inv.status !== 'responded' && (
                      <button type="button" class="link" onClick={async () => {
                        try {
                          const next = await api<{ url: string }>('POST', `/admin/invitations/${inv.invitationId}/reissue`);
                          setReissued({ ...reissued, [inv.invitationId]: next.url });
                        } catch (error) {
                          setProblem(messageOf(error));
                        }
                      }}>{t('reissue')}</button>
                    )
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
