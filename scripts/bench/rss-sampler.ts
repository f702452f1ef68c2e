// A process's memory as the kernel counts it: VmRSS sampled on an interval for the peak seen,
// and VmHWM (the kernel's own high-water mark) read on demand. Linux only (/proc).
import { readFileSync } from "node:fs";

function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(
      readFileSync(`/proc/${pid}/status`, "utf8"),
    );
    return match ? Number(match[1]) : null;
  } catch {
    return null; // gone, or not Linux
  }
}

export type RssSampler = {
  /** Highest VmRSS sampled since start or the last reset, in MB. */
  peakMb(): number;
  reset(): void;
  /** The kernel's high-water mark of the process's RSS, in MB. */
  hwmMb(): number | null;
  stop(): void;
};

export function sampleRss(pid: number, intervalMs = 100): RssSampler {
  let peakKb = 0;
  const sample = () => {
    const kb = statusKb(pid, "VmRSS");
    if (kb !== null && kb > peakKb) peakKb = kb;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    peakMb: () => peakKb / 1024,
    reset: () => {
      peakKb = 0;
      sample();
    },
    hwmMb: () => {
      const kb = statusKb(pid, "VmHWM");
      return kb === null ? null : kb / 1024;
    },
    stop: () => clearInterval(timer),
  };
}
