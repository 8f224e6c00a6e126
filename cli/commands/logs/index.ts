// `tandem logs …`: Connect's logging at run time.
import { group } from "../../command";
import { logLevelCommand } from "./level";

export const logsCommand = () => group("logs", "Connect's logging: level (show or set log levels at run time).", [logLevelCommand()]);
