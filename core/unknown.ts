/** Pulumi's marker for values not known during preview (outputs of resources not created yet). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
