// A jest reporter for test/run-all.mjs: one JSON line per test file as it starts and as it
// finishes, appended to $PHLIX_TEST_PROGRESS. The runner counts results from these lines, so a
// run that has to be stopped (a worker that never returns) still knows what finished and what hung.
const { appendFileSync } = require('node:fs');

class ProgressReporter {
  constructor() {
    this.file = process.env.PHLIX_TEST_PROGRESS;
  }

  write(line) {
    if (this.file) appendFileSync(this.file, `${JSON.stringify(line)}\n`);
  }

  onTestStart(test) {
    this.write({ event: 'start', path: test.path });
  }

  onTestResult(test, r) {
    const error = r.testExecError ? String(r.testExecError.message ?? r.testExecError).slice(0, 500) : null;
    this.write({
      event: 'done',
      path: test.path,
      passed: r.numPassingTests,
      failed: r.numFailingTests,
      skipped: r.numPendingTests + r.numTodoTests,
      error,
    });
  }

  getLastError() {
    return undefined;
  }
}

module.exports = ProgressReporter;
