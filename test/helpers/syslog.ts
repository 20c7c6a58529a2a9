/** Writes kern.log lines the way rsyslog does, stamped with the current local time. */
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Jan _2 15:04:05 host kernel: [uptime] message` for `date`. */
export function kernLogLine(message: string, date = new Date(), uptime = 1234.5678): string {
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${months[date.getMonth()]} ${String(date.getDate()).padStart(2, ' ')} ${p2(date.getHours())}:${p2(date.getMinutes())}:${p2(date.getSeconds())}`;
  return `${stamp} testnode kernel: [${uptime.toFixed(6).padStart(12, ' ')}] ${message}`;
}
