import type { ReleaseRow } from '../store/repo.js';
import type { StepResult } from '../pipeline/types.js';

export const WARDEN_META_KEY = 'dev.warden/release';
export const OFFICIAL_META_KEY = 'io.modelcontextprotocol.registry/official';

/** Warden statuses seen through the official registry's three (`active|deprecated|deleted`). */
export function officialStatus(status: string): 'active' | 'deprecated' | 'deleted' {
  if (status === 'active' || status === 'deprecated') return status;
  return 'deleted';
}

export function releasePaths(serverName: string, version: string, sha256: string) {
  const base = `/warden/v1/servers/${encodeURIComponent(serverName)}/versions/${encodeURIComponent(version)}`;
  return { artifact: `/warden/v1/artifacts/sha256/${sha256}`, envelope: `${base}/envelope`, countersignature: `${base}/countersignature` };
}

/**
 * One release in the official registry's `ServerResponse` shape: `server` is the published
 * server.json as signed; `_meta` carries the official status block and Warden's own facts.
 */
export function serverResponse(row: ReleaseRow, latestVersion: string | null, marketKeyid: string): Record<string, unknown> {
  const steps = JSON.parse(row.pipeline_json) as StepResult[];
  const official: Record<string, unknown> = {
    status: officialStatus(row.status),
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    isLatest: latestVersion === row.version,
  };
  if (row.status_changed_at) official.statusChangedAt = row.status_changed_at;
  if (row.status_reason && row.status !== 'active') official.statusMessage = row.status_reason.slice(0, 500);
  return {
    server: JSON.parse(row.manifest_json),
    _meta: {
      [OFFICIAL_META_KEY]: official,
      [WARDEN_META_KEY]: {
        ref: `${row.server_name}@${row.version}`,
        status: row.status,
        digests: { sha256: row.sha256, sha512: row.sha512 },
        size: Number(row.size),
        publisherKeyid: row.publisher_keyid,
        marketKeyid,
        rating: row.rating,
        score: row.score,
        logIndex: Number(row.log_index),
        checks: steps.map((s) => ({ step: s.step, outcome: s.outcome, code: s.code })),
        ...releasePaths(row.server_name, row.version, row.sha256),
      },
    },
  };
}
