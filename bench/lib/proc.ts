/**
 * CPU and memory of another process, read from /proc (Linux): no dependency for a few lines.
 * CPU: utime + stime (fields 14 and 15 of /proc/<pid>/stat, in clock ticks). Peak RSS: VmHWM of
 * /proc/<pid>/status, reset before each measurement by writing 5 to /proc/<pid>/clear_refs (allowed
 * for one's own processes); when the reset is refused, VmHWM is the peak since the process started.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** USER_HZ: 100 on every Linux architecture Node runs on (`getconf CLK_TCK`). */
const TICKS_PER_SECOND = 100;

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (14) is fields[11] and stime (15) fields[12].
  return Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
}

function statusKb(pid: number, key: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
  return Number(match?.[1] ?? 0);
}

export interface ProcFigures {
  /** Share of one core over the measured interval, in percent. */
  cpuPercent: number;
  /** Peak resident set size over the interval (or since start, see `peakResetWorked`), MB. */
  peakRssMb: number;
  peakResetWorked: boolean;
}

/** Starts measuring `pid` now; `stop()` gives the CPU share and peak RSS since. */
export function measureProcess(pid: number): { stop(): ProcFigures } {
  let peakResetWorked = true;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    peakResetWorked = false;
  }
  const startTicks = cpuTicks(pid);
  const startedAt = process.hrtime.bigint();
  // VmHWM already is a high-water mark; sampling VmRSS too guards kernels without the reset.
  let sampledPeakKb = statusKb(pid, 'VmRSS');
  const timer = setInterval(() => {
    sampledPeakKb = Math.max(sampledPeakKb, statusKb(pid, 'VmRSS'));
  }, 200);
  timer.unref();
  return {
    stop(): ProcFigures {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const ticks = cpuTicks(pid) - startTicks;
      const peakKb = peakResetWorked
        ? Math.max(statusKb(pid, 'VmHWM'), sampledPeakKb)
        : Math.max(sampledPeakKb, statusKb(pid, 'VmRSS'));
      return {
        cpuPercent: (ticks / TICKS_PER_SECOND / seconds) * 100,
        peakRssMb: peakKb / 1024,
        peakResetWorked,
      };
    },
  };
}

/** Peak RSS since the process started (VmHWM), MB. */
export function lifetimePeakRssMb(pid: number): number {
  return statusKb(pid, 'VmHWM') / 1024;
}

/** Busy ticks per core from /proc/stat (everything but idle and iowait). */
function coreBusyTicks(): number[] {
  const lines = readFileSync('/proc/stat', 'utf8').split('\n');
  const busy: number[] = [];
  for (const line of lines) {
    const match = /^cpu(\d+) (.*)$/.exec(line);
    if (!match) continue;
    const v = (match[2] ?? '').trim().split(/\s+/).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    busy[Number(match[1])] = total - (v[3] ?? 0) - (v[4] ?? 0);
  }
  return busy;
}

/** Starts measuring every core; `stop()` gives each core's busy share in percent. */
export function measureCores(): { stop(): number[] } {
  const start = coreBusyTicks();
  const startedAt = process.hrtime.bigint();
  return {
    stop() {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      return coreBusyTicks().map((t, i) => ((t - (start[i] ?? 0)) / TICKS_PER_SECOND / seconds) * 100);
    },
  };
}
