// AI workers (issue 14): capability contracts, provisioning and lifecycle, execution policy.
import type { RouteModule } from "../../types.ts";
import * as workerKinds from "./worker-kinds.ts";
import * as workersList from "./workers-list.ts";
import * as workersCreate from "./workers-create.ts";
import * as workersGet from "./workers-get.ts";
import * as workersUpdate from "./workers-update.ts";
import * as workersStatus from "./workers-status.ts";
import * as workersEvents from "./workers-events.ts";
import * as policyGet from "./policy-get.ts";
import * as policySet from "./policy-set.ts";
import * as runsCreate from "./runs-create.ts";
import * as runsList from "./runs-list.ts";
import * as runsGet from "./runs-get.ts";
import * as approvalsList from "./approvals-list.ts";
import * as approvalsGet from "./approvals-get.ts";
import * as approvalsApprove from "./approvals-approve.ts";
import * as approvalsReject from "./approvals-reject.ts";

export const routes: RouteModule[] = [workerKinds, workersList, workersCreate, workersGet, workersUpdate, workersStatus, workersEvents, policyGet, policySet, runsCreate, runsList, runsGet, approvalsList, approvalsGet, approvalsApprove, approvalsReject];
