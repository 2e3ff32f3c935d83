/** Questionnaires: the list with state, versions and responses; create, duplicate, archive. */
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf } from '../api';
import { consoleLanguage, t, type MessageKey } from '../i18n';
import { me } from '../me';

interface SurveySummary {
  surveyId: string;
  title: Record<string, string>;
  state: 'draft' | 'published' | 'archived';
  versions: { version: number; publishedAt: string }[];
  latestVersion?: number;
  draft?: { revision: number };
  responses?: { period: string; count: number };
}

export const localized = (text: Record<string, string> | undefined): string =>
  text ? (text[consoleLanguage.value] ?? Object.values(text)[0] ?? '') : '';

async function allSurveys(): Promise<SurveySummary[]> {
  const surveys: SurveySummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<{ surveys: SurveySummary[]; cursor?: string }>('GET', `/admin/surveys?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    surveys.push(...page.surveys);
    cursor = page.cursor;
  } while (cursor);
  return surveys;
}

export function SurveyList() {
  const [surveys, setSurveys] = useState<SurveySummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [newId, setNewId] = useState('');
  const mayWrite = me.value?.permissions.includes('surveys:write') ?? false;
  const reload = () => allSurveys().then(setSurveys, (error: unknown) => setProblem(String((error as Error).message)));
  useEffect(() => void reload(), []);

  const act = async (work: () => Promise<unknown>) => {
    setProblem(null);
    try {
      await work();
      await reload();
    } catch (error) {
      setProblem(messageOf(error));
    }
  };
  const duplicate = (survey: SurveySummary) =>
    act(async () => {
      const id = window.prompt(t('newId'), `${survey.surveyId}-copy`);
      if (!id) return;
      const source = survey.latestVersion
        ? (await api<{ definition: Record<string, unknown> }>('GET', `/admin/surveys/${survey.surveyId}/versions/${survey.latestVersion}`)).definition
        : (await api<{ definition: Record<string, unknown> }>('GET', `/admin/surveys/${survey.surveyId}/draft`)).definition;
      await api('PUT', `/admin/surveys/${id}/draft`, { json: { definition: { ...source, id }, baseRevision: 0 } });
      location.hash = `#/surveys/${id}/draft`;
    });

  return (
    <section aria-labelledby="surveys-title">
      <h1 id="surveys-title">{t('surveys')}</h1>
      {problem && <p role="alert" class="problem">{t('error', { message: problem })}</p>}
      {mayWrite && (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (/^[a-z0-9-]+$/.test(newId)) location.hash = `#/surveys/${newId}/draft`;
          }}
        >
          <label>
            {t('newId')}
            <input value={newId} pattern="[a-z0-9-]+" required onInput={(e) => setNewId((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <button type="submit">{t('create')}</button>
        </form>
      )}
      {surveys === null ? (
        <p>{t('loading')}</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="surveys-title">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('title')}</th>
                <th scope="col">{t('state')}</th>
                <th scope="col">{t('versions')}</th>
                <th scope="col">{t('responses')}</th>
                <th scope="col">{t('actions')}</th>
              </tr>
            </thead>
            <tbody>
              {surveys.map((survey) => (
                <tr key={survey.surveyId}>
                  <td>
                    <span class="title">{localized(survey.title) || survey.surveyId}</span>
                    <br />
                    <code>{survey.surveyId}</code>
                  </td>
                  <td>{t(`state.${survey.state}` as MessageKey)}</td>
                  <td>
                    {survey.versions.length === 0
                      ? t('none')
                      : survey.versions.map((v) => (
                          <a key={v.version} class="chip" href={`#/surveys/${survey.surveyId}/versions/${v.version}`}>
                            v{v.version}
                          </a>
                        ))}
                  </td>
                  <td>{survey.responses?.count ?? 0}</td>
                  <td class="actions">
                    {mayWrite && <a href={`#/surveys/${survey.surveyId}/draft`}>{t('edit')}</a>}
                    {mayWrite && (
                      <button type="button" class="link" onClick={() => duplicate(survey)}>
                        {t('duplicate')}
                      </button>
                    )}
                    {mayWrite && (
                      <button type="button" class="link" onClick={() => act(() => api('POST', `/admin/surveys/${survey.surveyId}/archive`, { json: { archived: survey.state !== 'archived' } }))}>
                        {survey.state === 'archived' ? t('restore') : t('archive')}
                      </button>
                    )}
                    {survey.latestVersion && (
                      <a href={`/admin/reports/${survey.surveyId}`} target="_blank" rel="noopener">
                        {t('report')}
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
