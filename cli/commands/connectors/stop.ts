// `tandem connectors stop NAME… | --all`.
import { lifecycleCommand } from "../../connectorLifecycle";

export const stopCommand = () =>
    lifecycleCommand("stop", "Stop connectors: tasks shut down (needed before resetting offsets), config stays.");
