/**
 * Whether this Node can `require` an ES module synchronously (unflagged since Node 20.19 and
 * 22.12; `process.features.require_module`). The config loader loads its schemas that way on
 * first use; where it cannot, the CLI imports them before a command runs. O(1).
 */
export function canRequireEsm(): boolean {
  return (process.features as { require_module?: boolean }).require_module === true;
}
