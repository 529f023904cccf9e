/** The custom workflow of the design (docs: "A custom workflow built from the same actions"). */
export const DESIGN_SAMPLE = `apiVersion: airlock.dev/v1
kind: Workflow
name: mirror-and-gate
on:
  schedule: { cron: '0 6 * * *', timezone: UTC }
  registry: { push: { repository: 'quarantine/**' } }
inputs:
  repository: { type: string, default: docker.io/library/node }
steps:
  - id: tags
    uses: oci/list-tags@v1
    with: { repository: '\${{ inputs.repository }}', semver: '>=22 <27', latest: 2 }
  - id: mirror
    uses: oci/copy@v1
    forEach: '\${{ steps.tags.outputs.tags }}'
    maxParallel: 4
    with: { source: '\${{ inputs.repository }}:\${{ item }}', destination: 'builtin://quarantine/node:\${{ item }}', referrers: true }
    retry: { attempts: 4, backoff: exponential, initial: 5s }
  - id: scan
    uses: scan/image@v1
    needs: [mirror]
    forEach: '\${{ steps.mirror.outputs.digests }}'
  - id: approve
    if: '\${{ steps.scan.outputs.results.exists(r, size(r.blocking) > 0) }}'
    uses: approval@v1
    with: { approvers: [role:approver], timeout: 72h, onTimeout: deny }
`;

/** The actions the sample uses, as `knownActions`. */
export const SAMPLE_ACTIONS = ['oci/list-tags@v1', 'oci/copy@v1', 'scan/image@v1', 'approval@v1'];
