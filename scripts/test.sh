#!/usr/bin/env bash
# `npm test`: everything that can run on this machine. Types and layering first (fast, and a
# layering violation is a design bug), then every vitest file: engine, queue, exports, CLI,
# vendor emulators, the keychain (its setup starts a private D-Bus + gnome-keyring), the browser
# end-to-end tests, and the Electron spec (skipped, with its reason, where there is no binary).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results

# npm puts node_modules/.bin first on PATH: after `npm run setup`, `node` here is Node 24.
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 24 ]; then
  echo "npm test needs Node.js 24 (this is $(node -v)): run \`npm run setup\` first." >&2
  echo "0 passed, 1 failed (node version)"; exit 1
fi

npm run -s typecheck || { echo "0 passed, 1 failed (typecheck)"; exit 1; }
npm run -s lint || { echo "0 passed, 1 failed (lint)"; exit 1; }

npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
rc=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-results/vitest.json", "utf8"));
  const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
  // A file that fails outside any test (a hook that times out, an import error) fails no test:
  // count it, or the summary says "0 failed" for a red run.
  const brokenFiles = (r.testResults || []).filter((f) => f.status === "failed" && !(f.assertionResults || []).some((a) => a.status === "failed")).length;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + brokenFiles} failed, ${skipped} skipped` + (brokenFiles ? ` (${brokenFiles} file(s) failed outside their tests)` : ""));
' 2>/dev/null || true
exit $rc
