// Runs the product locally: Azurite on its default ports, then `func start` in the function app's folder.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const app = join(root, 'src', 'GroupWebhookFunctions');
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

const settings = join(app, 'local.settings.json');
if (!existsSync(settings)) {
  copyFileSync(join(root, 'local.settings.sample.json'), settings);
  console.log(`Created ${settings} from local.settings.sample.json: set TencentChat__SdkAppId (and the token) there.`);
}

const children = [];
const stopAll = () => children.forEach((child) => child.kill('SIGINT'));
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

const run = (command, args, cwd) => {
  const child = spawn(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  children.push(child);
  child.on('exit', (code) => { stopAll(); process.exitCode ||= code ?? 0; });
  return child;
};

const listening = (port) => new Promise((resolve) => {
  const socket = connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
  socket.on('error', () => resolve(false));
});

const ports = [10000, 10001, 10002];
if ((await Promise.all(ports.map(listening))).every(Boolean)) {
  console.log('Storage emulator already listening on 10000-10002; using it.');
} else {
  run(bin('azurite'), ['--silent', '--location', join(root, '.azurite'), '--loose', '--skipApiVersionCheck', '--disableTelemetry'], root);
  for (let i = 0; i < 100 && !(await Promise.all(ports.map(listening))).every(Boolean); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const func = existsSync(bin('func')) ? bin('func') : 'func';
const host = run(func, ['start'], app);
host.on('error', () => {
  console.error('Azure Functions Core Tools (func) were not found. Install them: npm install -g azure-functions-core-tools@4');
  stopAll();
  process.exitCode = 1;
});
