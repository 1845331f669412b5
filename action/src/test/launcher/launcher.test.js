'use strict';
// Unit tests of the launchers' path logic with Windows-shaped (and POSIX) inputs, on any OS:
//   node --test action/src/test/launcher/launcher.test.js
// Run by LauncherNodeTestsIT in the Maven build. No npm dependencies (node:test, node 18+).
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const java = require('../../../launcher/java.js');
const cds = require('../../../launcher/cds.js');

// A Windows machine seen through the launcher's `system` seam: files are the given set, case as written.
function windows(files = {}) {
  return {
    ...java.system('win32'),
    isFile: (p) => Object.prototype.hasOwnProperty.call(files, p),
    exists: (p) => Object.prototype.hasOwnProperty.call(files, p),
    realpath: (p) => p,
    readText: (p) => (typeof files[p] === 'string' ? files[p] : null),
  };
}

const JDK = 'C:\\Program Files\\Eclipse Adoptium\\jdk-17.0.12.7-hotspot';
const RELEASE = 'JAVA_VERSION="17.0.12"\nJAVA_RUNTIME_VERSION="17.0.12+7"\n';

test('a quoted Path entry on Windows is used without its quotes', () => {
  const sys = windows({ [`${JDK}\\bin\\java.exe`]: '', [`${JDK}\\release`]: RELEASE });
  const env = { Path: `C:\\Windows\\system32;"${JDK}\\bin";;C:\\Windows` };
  assert.deepStrictEqual(java.pathDirs(env, sys), ['C:\\Windows\\system32', `${JDK}\\bin`, 'C:\\Windows']);
  assert.strictEqual(java.findJava(env, sys), `${JDK}\\bin\\java.exe`);
});

test('on POSIX a quote is part of the name, and ":" separates entries', () => {
  const sys = java.system('linux');
  assert.deepStrictEqual(java.pathDirs({ PATH: '/usr/bin:"/opt/j dk/bin"::/bin' }, sys),
    ['/usr/bin', '"/opt/j dk/bin"', '/bin']);
});

test('JAVA_HOME_<v>_AARCH64 (setup-java with architecture: aarch64, windows-11-arm) is found', () => {
  const home = 'C:\\hostedtoolcache\\windows\\Java_Temurin-Hotspot_jdk\\21.0.4-7\\aarch64';
  const sys = windows({ [`${home}\\bin\\java.exe`]: '' });
  assert.strictEqual(java.findJava({ JAVA_HOME_21_AARCH64: home, Path: 'C:\\Windows' }, sys), `${home}\\bin\\java.exe`);
});

test('the versioned names are looked at before JAVA_HOME and PATH, and a miss says where it looked', () => {
  const sys = windows({});
  const r = java.findJava({ JAVA_HOME_17_X64: 'C:\\gone', JAVA_HOME: 'D:\\jdk8', Path: 'C:\\Windows' }, sys);
  assert.deepStrictEqual(r.tried, ['JAVA_HOME_17_X64=C:\\gone (no bin\\java.exe)', 'JAVA_HOME=D:\\jdk8 (no bin\\java.exe)',
    'no java on PATH']);
});

test('the jar is the one next to the launchers, whatever GITHUB_ACTION_PATH says', () => {
  const sys = windows({});
  const launchers = 'C:\\actions-runner\\_work\\_actions\\acme\\spell-ci\\v1\\action\\launcher';
  const env = { GITHUB_ACTION_PATH: 'C:\\actions-runner\\_work\\_actions\\acme\\setup-ml\\v2' };
  assert.strictEqual(java.jarPath(env, sys, launchers),
    'C:\\actions-runner\\_work\\_actions\\acme\\spell-ci\\v1\\action\\dist\\spell-ci.jar');
  assert.strictEqual(java.jarPath(env, java.system('linux'), '/runner/_work/_actions/acme/spell-ci/v1/action/launcher'),
    '/runner/_work/_actions/acme/spell-ci/v1/action/dist/spell-ci.jar');
});

test('on Windows Java starts in the jar folder with a relative -jar and learns the step folder from the environment', () => {
  const jar = 'C:\\Users\\Пётр\\actions-runner\\_work\\_actions\\acme\\spell-ci\\v1\\action\\dist\\spell-ci.jar';
  const cmd = java.commandLine(jar, ['-XX:TieredStopAtLevel=1'], ['github', 'main'], windows({}),
    'C:\\Users\\Пётр\\actions-runner\\_work\\ml\\ml');
  assert.deepStrictEqual(cmd.args, ['-XX:TieredStopAtLevel=1', '-jar', 'spell-ci.jar', 'github', 'main']);
  assert.strictEqual(cmd.cwd, 'C:\\Users\\Пётр\\actions-runner\\_work\\_actions\\acme\\spell-ci\\v1\\action\\dist');
  assert.deepStrictEqual(cmd.env, { SPELL_CI_WORKING_DIRECTORY: 'C:\\Users\\Пётр\\actions-runner\\_work\\ml\\ml' });
  for (const arg of cmd.args) assert.ok(!/[^\x20-\x7e]/.test(arg), `${arg} is not ASCII`);
});

test('on POSIX the command line is unchanged: absolute -jar, the step folder as it is', () => {
  const cmd = java.commandLine('/a/dist/spell-ci.jar', ['-XX:TieredStopAtLevel=1'], ['github', 'post'],
    java.system('darwin'), '/ws');
  assert.deepStrictEqual(cmd, { args: ['-XX:TieredStopAtLevel=1', '-jar', '/a/dist/spell-ci.jar', 'github', 'post'],
    cwd: undefined, env: {} });
});

test('the class-data-sharing setting: input, then the variable, then auto; on by default on self-hosted only', () => {
  assert.strictEqual(cds.setting({}), 'auto');
  assert.strictEqual(cds.setting({ 'INPUT_CLASS-DATA-SHARING': 'auto', SPELL_CI_CLASS_DATA_SHARING: 'False' }), 'false');
  assert.strictEqual(cds.setting({ 'INPUT_CLASS-DATA-SHARING': 'TRUE', SPELL_CI_CLASS_DATA_SHARING: 'false' }), 'true');
  assert.strictEqual(cds.setting({ 'INPUT_CLASS-DATA-SHARING': 'yes' }), null);
  assert.strictEqual(cds.setting({ SPELL_CI_CLASS_DATA_SHARING: 'off' }), null);
  assert.strictEqual(cds.enabled('auto', { RUNNER_ENVIRONMENT: 'self-hosted' }), true);
  assert.strictEqual(cds.enabled('auto', { RUNNER_ENVIRONMENT: 'github-hosted' }), false);
  assert.strictEqual(cds.enabled('auto', {}), false);
  assert.strictEqual(cds.enabled('true', { RUNNER_ENVIRONMENT: 'github-hosted' }), true);
  assert.strictEqual(cds.enabled('false', { RUNNER_ENVIRONMENT: 'self-hosted' }), false);
});

const temps = [];
test.after(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

// A JDK-shaped folder (bin/java, release, lib/server/classes.jsa) and a jar, in a fresh temp dir.
function fixture({ baseArchive = true } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spell-ci-cds-'));
  temps.push(root);
  const home = path.join(root, 'jdk');
  fs.mkdirSync(path.join(home, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(home, 'lib', 'server'), { recursive: true });
  fs.writeFileSync(path.join(home, 'bin', 'java'), '');
  fs.writeFileSync(path.join(home, 'release'), RELEASE);
  if (baseArchive) fs.writeFileSync(path.join(home, 'lib', 'server', 'classes.jsa'), 'base');
  const jar = path.join(root, 'action', 'dist', 'spell-ci.jar');
  fs.mkdirSync(path.dirname(jar), { recursive: true });
  fs.writeFileSync(jar, 'PK jar bytes');
  const toolCache = path.join(root, 'tool-cache');
  return { root, java: path.join(home, 'bin', 'java'), jar, env: { RUNNER_TOOL_CACHE: toolCache }, toolCache };
}

function option(opts, name) {
  const o = opts.find((x) => x.startsWith(`-XX:${name}=`) || x.startsWith(`-D${name}=`));
  return o && o.slice(o.indexOf('=') + 1);
}

test('a missing archive is made under a temporary name and renamed into place after the JVM exited', () => {
  const f = fixture();
  const sys = java.system('linux');
  const first = cds.prepare({ java: f.java, jar: f.jar, jvmOptions: ['-XX:TieredStopAtLevel=1'], env: f.env, sys });
  const tmp = option(first.jvmOptions, 'ArchiveClassesAtExit');
  assert.ok(tmp.endsWith('.tmp') && fs.existsSync(tmp));
  assert.ok(first.jar.startsWith(f.toolCache) && fs.readFileSync(first.jar, 'utf8') === 'PK jar bytes');
  fs.writeFileSync(tmp, 'archive bytes'); // what the JVM writes at exit
  assert.strictEqual(first.finish(0), 0);
  assert.match(first.note, /made .*\.jsa for later steps/);
  assert.ok(!fs.existsSync(tmp));
  const second = cds.prepare({ java: f.java, jar: f.jar, jvmOptions: ['-XX:TieredStopAtLevel=1'], env: f.env, sys });
  const archive = option(second.jvmOptions, 'SharedArchiveFile');
  assert.strictEqual(fs.readFileSync(archive, 'utf8'), 'archive bytes');
  assert.match(second.note, /used/);
  // Another set of JVM options is another archive.
  const other = cds.prepare({ java: f.java, jar: f.jar, jvmOptions: [], env: f.env, sys });
  assert.ok(option(other.jvmOptions, 'ArchiveClassesAtExit'));
  other.finish(0);
});

test('an archive that is not the one we renamed into place is made again', () => {
  const f = fixture();
  const sys = java.system('linux');
  const first = cds.prepare({ java: f.java, jar: f.jar, jvmOptions: [], env: f.env, sys });
  fs.writeFileSync(option(first.jvmOptions, 'ArchiveClassesAtExit'), 'archive bytes');
  first.finish(0);
  const archive = option(cds.prepare({ java: f.java, jar: f.jar, jvmOptions: [], env: f.env, sys }).jvmOptions,
    'SharedArchiveFile');
  fs.chmodSync(archive, 0o644);
  fs.writeFileSync(archive, 'something else');
  const again = cds.prepare({ java: f.java, jar: f.jar, jvmOptions: [], env: f.env, sys });
  assert.ok(option(again.jvmOptions, 'ArchiveClassesAtExit'));
  again.finish(0);
});

test("a JVM that could not finish the archive: the step's own exit code, the temporary file removed", () => {
  const f = fixture();
  const p = cds.prepare({ java: f.java, jar: f.jar, jvmOptions: [], env: f.env, sys: java.system('linux') });
  const tmp = option(p.jvmOptions, 'ArchiveClassesAtExit');
  fs.unlinkSync(tmp); // the JVM removes what it could not finish
  fs.writeFileSync(option(p.jvmOptions, 'spellci.exit-status-file'), '0');
  assert.strictEqual(p.finish(1), 0);
  assert.match(p.note, /no archive made/);
  assert.deepStrictEqual(fs.readdirSync(path.dirname(tmp)).filter((n) => !n.endsWith('.jar')), []);
  // Without a record (a JVM that never got to Main's exit) the JVM's status stands; a signal stays a signal.
  const q = cds.prepare({ java: f.java, jar: f.jar, jvmOptions: [], env: f.env, sys: java.system('linux') });
  assert.strictEqual(q.finish(3), 3);
  const r = cds.prepare({ java: f.java, jar: f.jar, jvmOptions: [], env: f.env, sys: java.system('linux') });
  fs.writeFileSync(option(r.jvmOptions, 'spellci.exit-status-file'), '0');
  assert.strictEqual(r.finish(null), null);
});

test('off, with one note and the original jar and options: no tool cache, no base archive, unwritable', () => {
  const sys = java.system('linux');
  const check = (f, expected) => {
    const p = cds.prepare({ java: f.java, jar: f.jar, jvmOptions: ['-X1'], env: f.env, sys });
    assert.strictEqual(p.jar, f.jar);
    assert.deepStrictEqual(p.jvmOptions, ['-X1']);
    assert.match(p.note, expected);
    assert.strictEqual(p.finish(4), 4);
  };
  const f = fixture();
  check({ ...f, env: {} }, /RUNNER_TOOL_CACHE is not set/);
  check(fixture({ baseArchive: false }), /no class-data sharing archive of its own/);
  fs.writeFileSync(f.toolCache, 'a file, not a folder');
  check(f, /class-data sharing off/);
});

test('on Windows the archive options name files in the jar folder by relative names', () => {
  const f = fixture();
  const sys = { ...java.system('linux'), win: true }; // POSIX paths on this machine, Windows rules for names
  const p = cds.prepare({ java: f.java, jar: f.jar, jvmOptions: [], env: f.env, sys });
  for (const name of ['ArchiveClassesAtExit', 'spellci.exit-status-file']) {
    const value = option(p.jvmOptions, name);
    assert.ok(!value.includes(path.sep), `${name}=${value}`);
    assert.ok(fs.existsSync(path.join(path.dirname(p.jar), value.replace('.status', ''))));
  }
  p.finish(0);
});

// A stored (uncompressed) zip of { name: text }, enough of the format for jarId.
function zip(entries, comment = '') {
  const crc = (buf) => {
    let c = ~0;
    for (const b of buf) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return ~c >>> 0;
  };
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const n = Buffer.from(name);
    const data = Buffer.from(text);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(crc(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(crc(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(Buffer.byteLength(comment), 20);
  return Buffer.concat([...locals, cd, end, Buffer.from(comment)]);
}

test("the jar's name in the tool cache follows every entry's content, read from the zip's central directory", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spell-ci-jarid-'));
  temps.push(dir);
  const write = (name, bytes) => {
    fs.writeFileSync(path.join(dir, name), bytes);
    return cds.jarId(path.join(dir, name));
  };
  const a = write('a.jar', zip({ 'Main.class': 'one', 'lib/Other.class': 'two' }));
  assert.strictEqual(write('copy.jar', zip({ 'Main.class': 'one', 'lib/Other.class': 'two' })), a);
  // The same names and sizes, one byte changed: its CRC-32 in the central directory differs.
  assert.notStrictEqual(write('b.jar', zip({ 'Main.class': 'one', 'lib/Other.class': 'twx' })), a);
  assert.notStrictEqual(write('c.jar', zip({ 'Main.class': 'one', 'lib/Other.clasz': 'two' })), a);
  // Read from the directory, not the whole file: a change outside it (here a local header's unused field) is not seen,
  // which is what makes it cheap; the entries' CRC-32s above are what make it safe.
  const bytes = zip({ 'Main.class': 'one', 'lib/Other.class': 'two' });
  bytes.writeUInt16LE(0x14, 4); // "version needed" of the first local header
  assert.strictEqual(write('d.jar', bytes), a);
  const whole = (bytes) => require('crypto').createHash('sha256').update(bytes).digest('hex');
  const commented = zip({ 'Main.class': 'one' }, 'a comment');
  assert.notStrictEqual(write('e.jar', commented), whole(commented));
  // Not a zip, or an end record that does not point at a directory: the whole file is hashed.
  assert.strictEqual(write('f.jar', 'PK jar bytes'), whole('PK jar bytes'));
  const broken = zip({ 'Main.class': 'one' });
  broken.writeUInt32LE(1, broken.length - 6); // the directory's offset
  assert.strictEqual(write('g.jar', broken), whole(broken));
});
