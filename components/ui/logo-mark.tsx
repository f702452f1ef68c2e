/** The Datapunk Lake mark: three waves on the accent square. */
export function LogoMark({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <rect width="24" height="24" rx="6" fill="currentColor" />
      <g fill="none" stroke="#0b0e12" strokeWidth="1.8" strokeLinecap="round">
        <path d="M5 8.5c2.3-1.5 4.7-1.5 7 0s4.7 1.5 7 0" />
        <path d="M5 12.5c2.3-1.5 4.7-1.5 7 0s4.7 1.5 7 0" opacity="0.75" />
        <path d="M5 16.5c2.3-1.5 4.7-1.5 7 0s4.7 1.5 7 0" opacity="0.5" />
      </g>
    </svg>
  );
}
