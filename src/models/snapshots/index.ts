export { SnapshotCostModel } from "./cost-model.js";
export {
  kvBytesPerToken,
  type PrefixOutcome,
  type PrefixSnapshotOptions,
  type PrefixSnapshotStats,
  PrefixSnapshots,
  type PrefixSource,
} from "./prefix-snapshots.js";
export {
  defaultSnapshotsDir,
  type SnapshotEntry,
  type SnapshotKey,
  SnapshotStore,
  snapshotId,
} from "./snapshot-store.js";
