const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 31_536_000],
  ["month", 2_592_000],
  ["week", 604_800],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

/** "5 minutes ago", with the exact time on hover. */
export function RelativeTime({ date, now = new Date() }: { date: Date | string; now?: Date }) {
  const d = new Date(date);
  const seconds = Math.round((d.getTime() - now.getTime()) / 1000);
  const fmt = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  const [unit, size] = UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? ["second", 1];
  const text = Math.abs(seconds) < 45 ? "just now" : fmt.format(Math.round(seconds / size), unit);
  return (
    <time dateTime={d.toISOString()} title={d.toUTCString()}>
      {text}
    </time>
  );
}
