export { detectHardware } from "./detect.js";
export {
  applyHardwareSpec,
  describeHardware,
  type GpuBackend,
  type HardwareProfile,
  type HardwareSpec,
  hardwareFromSpec,
  UNIFIED_GPU_SHARE,
} from "./profile.js";
export { formatGiB, GIB, MIB } from "./units.js";
