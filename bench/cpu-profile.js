// Preloaded into the app by `BENCH_PROFILE=dir npm run bench:quiz` (node --import): records a CPU profile of the
// whole run and writes it to dir/app-<pid>.cpuprofile when the app is stopped (open it in Chrome's DevTools).
import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';

const dir = process.env.HOCSO_CPU_PROFILE_DIR;
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.start');
process.prependListener('SIGTERM', () => {
	session.post('Profiler.stop', (err, result) => {
		if (err) return;
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, `app-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
	});
});
