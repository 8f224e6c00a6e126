// `tandem connectors resume NAME… | --all`.
import { lifecycleCommand } from "../../connectorLifecycle";

export const resumeCommand = () => lifecycleCommand("resume", "Resume paused or stopped connectors.");
