'use strict';
// Builds the tree of the action-only repository that release.yml pushes when the repository variable ACTION_REPOSITORY
// names one (see docs/github-action.md, "Publishing"): the root action.yml, the launchers, the jar, a README and the
// LICENSE, and nothing else; in particular no workflow files, which a repository listed on the Marketplace must not have.
//
//   node action/release/action-repository.js OUT_DIR [--source OWNER/REPO] [--ref vX.Y.Z] [--target OWNER/REPO] [--jar PATH]
//
// OUT_DIR must not exist or be empty. No npm dependencies.
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

function fail(message) {
  console.error(`action-repository: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  const options = { source: 'OWNER/spell-ci', ref: 'main', target: '', jar: path.join(ROOT, 'action', 'dist', 'spell-ci.jar') };
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const m = /^--(source|ref|target|jar)$/.exec(arg);
    if (m) {
      if (i + 1 >= argv.length) fail(`${arg} needs a value`);
      options[m[1]] = argv[++i];
    } else if (arg.startsWith('--')) {
      fail(`unknown option ${arg}; the options are --source, --ref, --target and --jar`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) fail('give exactly one output directory, e.g. "$RUNNER_TEMP/action-repository"');
  for (const name of ['source', 'target']) {
    if (options[name] && !/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(options[name])) {
      fail(`--${name} must be OWNER/REPO, not '${options[name]}'`);
    }
  }
  return { out: path.resolve(positional[0]), ...options };
}

// docs/github-action.md as the listing page: links into the source repository become absolute, and the short form
// names the action-only repository.
function readme({ source, ref, target }) {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'github-action.md'), 'utf8');
  const base = `https://github.com/${source}/blob/${ref}/`;
  const linked = doc.replace(/\]\((?!https?:|#|mailto:)([^)\s]+)\)/g, (all, link) => {
    const [file, anchor] = link.split('#');
    const resolved = path.posix.normalize(path.posix.join('docs', file));
    return `](${base}${resolved}${anchor ? '#' + anchor : ''})`;
  });
  const uses = target ? linked.split('<org>/spell-ci@v1').join(`${target}@v1`) : linked;
  const lines = uses.split('\n');
  const header = [
    '',
    `> This repository holds only the released GitHub Action of [spell-ci](https://github.com/${source}), built and`,
    `> published by its release workflow from tag \`${ref}\`. Sources, issues, the command-line tool and the Jenkins`,
    `> plugin live there.`,
  ];
  return [lines[0], ...header, ...lines.slice(1)].join('\n');
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(options.jar)) fail(`${options.jar} does not exist; build it first: ./mvnw -B package`);
  if (fs.existsSync(options.out) && fs.readdirSync(options.out).length > 0) fail(`${options.out} is not empty`);
  const launcher = path.join(options.out, 'action', 'launcher');
  fs.mkdirSync(launcher, { recursive: true });
  fs.mkdirSync(path.join(options.out, 'action', 'dist'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'action.yml'), path.join(options.out, 'action.yml'));
  fs.copyFileSync(path.join(ROOT, 'LICENSE'), path.join(options.out, 'LICENSE'));
  // Every launcher file: the launchers require each other (java.js needs cds.js), so a list here goes stale.
  const launcherSource = path.join(ROOT, 'action', 'launcher');
  for (const file of fs.readdirSync(launcherSource).filter((f) => fs.statSync(path.join(launcherSource, f)).isFile())) {
    fs.copyFileSync(path.join(launcherSource, file), path.join(launcher, file));
  }
  fs.copyFileSync(options.jar, path.join(options.out, 'action', 'dist', 'spell-ci.jar'));
  fs.writeFileSync(path.join(options.out, 'README.md'), readme(options));
  console.log(`action-repository: wrote ${options.out}`);
}

main();
