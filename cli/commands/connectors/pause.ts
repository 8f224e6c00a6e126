// `tandem connectors pause NAME… | --all`.
import { lifecycleCommand } from "../../connectorLifecycle";

export const pauseCommand = () => lifecycleCommand("pause", "Pause connectors: their tasks stop processing, offsets and config stay.");
