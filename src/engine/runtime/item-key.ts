/** How a step item is named in messages and checkpoint names: `mirror`, or `mirror[2]` for a forEach item. */
export function itemKey(stepId: string, index?: number): string {
  return index === undefined ? stepId : `${stepId}[${index}]`;
}
