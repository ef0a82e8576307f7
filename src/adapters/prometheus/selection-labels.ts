import type { HardwareProfile } from "../../models/hardware/index.js";
import type { ModelSelection } from "../../models/select/index.js";

const GIB = 1024 ** 3;
// Upper bounds (GiB) of the VRAM classes cards are sold in; a label per exact size would make
// one series per machine.
const VRAM_CLASSES = [4, 8, 12, 16, 24, 48, 80];

/** "none", "le4gib", "le8gib", … "le80gib", "gt80gib": the card's VRAM, bucketed. */
export function vramClass(hardware: Pick<HardwareProfile, "gpu">): string {
  const bytes = hardware.gpu.backend === "none" ? 0 : hardware.gpu.vramTotalBytes;
  if (bytes <= 0) return "none";
  // A 12 GiB card reports a little less than 12 GiB; half a GiB of slack keeps it in its class.
  const gib = bytes / GIB - 0.5;
  const upper = VRAM_CLASSES.find((limit) => gib <= limit);
  return upper === undefined ? `gt${VRAM_CLASSES.at(-1)}gib` : `le${upper}gib`;
}

export type SelectionLabels = Record<
  "tier" | "quantization" | "backend" | "vram_class" | "offload",
  string
>;

export function selectionLabels(
  selection: Pick<ModelSelection, "tier" | "model" | "offload">,
  hardware: Pick<HardwareProfile, "gpu">,
): SelectionLabels {
  return {
    tier: selection.tier,
    quantization: selection.model.quantization,
    backend: hardware.gpu.backend,
    vram_class: vramClass(hardware),
    offload: selection.offload,
  };
}
