import fs from 'node:fs';
const starts = new Map<string, number>();
const out: string[] = [];
export default class HookReporter {
  onHookStart(h: any) { starts.set(key(h), performance.now()); }
  onHookEnd(h: any) { const k = key(h); const d = performance.now() - (starts.get(k) ?? 0); out.push(`${Math.round(d)}\t${h.name}\t${k}`); }
  onTestModuleCollected(m: any) { out.push(`collected\t${m.moduleId.split('/').pop()}\t${Math.round(m.diagnostic().collectDuration)}\t${Math.round(m.diagnostic().setupDuration)}\t${Math.round(m.diagnostic().prepareDuration)}\t${Math.round(m.diagnostic().environmentSetupDuration)}`); }
  onTestRunEnd() { fs.writeFileSync(process.env.HOOK_OUT ?? '/tmp/integ/hooks.tsv', out.join('\n')); }
}
function key(h: any) { const e = h.entity; const mod = (e.module ?? e).moduleId?.split('/').pop(); return `${e.project?.name}:${mod}:${e.name ?? ''}:${h.name}`; }
