/** Values of the client's source the ported tests import (pkg/auto-pipeline.ts, pkg/commands/xread.ts, xreadgroup.ts). */
export const MAX_PIPELINE_SIZE = 1000;
export const UNBALANCED_XREAD_ERR = "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified";
export const UNBALANCED_XREADGROUP_ERR = "ERR Unbalanced XREADGROUP list of streams: for each stream key an ID or '$' must be specified";
