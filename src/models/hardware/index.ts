export { detectHardware } from "./detect.js";
export {
  applyHardwareSpec,
  describeHardware,
  formatGiB,
  GIB,
  type GpuBackend,
  type HardwareProfile,
  type HardwareSpec,
  hardwareFromSpec,
  UNIFIED_GPU_SHARE,
} from "./profile.js";
