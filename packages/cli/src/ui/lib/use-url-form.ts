import { useEffect, useMemo, useState } from 'preact/hooks';
import { navigate } from './router.ts';

/** What {@link useUrlForm} gives a page. */
export interface UrlForm<S> {
  /** The state the URL describes: what the results show. */
  applied: S;
  /** The form as edited, not yet submitted. */
  draft: S;
  setDraft(next: S): void;
  /** Patches the draft. */
  set(patch: Partial<S>): void;
  /** The form's submit handler: navigates to the draft's URL, or re-runs when it is unchanged. */
  submit(e: Event): void;
  /** Changes whenever the search must run again (new URL or a re-submit): the results' deps. */
  runKey: string;
}

/**
 * A search form whose whole state lives in the URL (`path?…`), so a search is shareable and
 * survives reload: the page renders `applied`, edits `draft`, and submitting navigates.
 */
export function useUrlForm<S>(
  params: URLSearchParams,
  path: string,
  fromParams: (params: URLSearchParams) => S,
  toParams: (state: S) => URLSearchParams,
): UrlForm<S> {
  const paramsKey = params.toString();
  const applied = useMemo(() => fromParams(params), [paramsKey]);
  const [draft, setDraft] = useState<S>(applied);
  const [runId, setRunId] = useState(0);
  useEffect(() => setDraft(applied), [applied]);
  return {
    applied,
    draft,
    setDraft,
    set: (patch) => setDraft({ ...draft, ...patch }),
    submit(e) {
      e.preventDefault();
      const qs = toParams(draft).toString();
      if (qs === paramsKey) setRunId(runId + 1);
      else navigate(qs ? `${path}?${qs}` : path);
    },
    runKey: `${paramsKey}#${runId}`,
  };
}
