// Test support: the preamble every e2e suite shares. The sandbox is read by the suite's first "before all" hook,
// so a sandbox that is not running fails that hook: the suite's tests do not run and the run fails, they are
// never skipped nor counted as passing.
import { readSandbox, Sandbox } from "./sandbox";

export interface E2eOptions {
    /** Time allowed to each test and hook of the suite (ms). */
    timeout: number;
    /** Skip the suite's remaining tests after its first failure, as each step builds on the previous one (default true). */
    bail?: boolean;
    /** Whether the suite needs the running sandbox (default true). */
    usesSandbox?: boolean;
}

export interface E2eContext {
    /** The running sandbox, read before the suite's own hooks run (unset if reading it failed). */
    sandbox: Sandbox;
}

/** `describe` for an e2e suite: its timeout and bail, and the sandbox read first; `body` declares its hooks and tests. */
export function e2eSuite(title: string, options: E2eOptions, body: (e2e: E2eContext) => void): Mocha.Suite {
    return describe(title, function () {
        this.timeout(options.timeout);
        if (options.bail ?? true) {
            // Each step builds on the previous one: after a failure the suite's remaining tests are skipped (and
            // counted so). Not mocha's bail: once anything has failed, it skips every later bailing suite whole,
            // so one failure would hide the results of all the suites after it.
            let failed = false;
            beforeEach(function () {
                if (failed) this.skip();
            });
            afterEach(function () {
                if (this.currentTest?.state === "failed") failed = true;
            });
        }
        const e2e = {} as E2eContext;
        if (options.usesSandbox ?? true) {
            before(() => {
                e2e.sandbox = readSandbox();
            });
        }
        body(e2e);
    });
}
