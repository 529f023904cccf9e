/** What the registry tells the gate about a manifest it is about to serve. */
export interface PullRequestInfo {
  repository: string;
  /** The tag or digest the client asked for. */
  reference: string;
  digest: string;
  mediaType: string;
  /** The authenticated principal; absent for anonymous clients. */
  identity?: { subject: string; roles: string[] };
}

export type GateDecision = { allow: true } | { allow: false; reason: string; alternative?: string };

/**
 * Asked before every manifest GET and HEAD. A denial is answered with `403 DENIED` whose
 * message says why and what to use instead — how the rest of Airlock keeps quarantined,
 * revoked or end-of-life images from being consumed.
 */
export type PullGate = (request: PullRequestInfo) => Promise<GateDecision>;

const ALLOW: GateDecision = Object.freeze({ allow: true });

/** The default gate: serves everything the access policy lets a client pull. */
export const allowAllGate: PullGate = () => Promise.resolve(ALLOW);
