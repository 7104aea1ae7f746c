/** An error message announced to screen readers; renders nothing without one. */
export function ErrorAlert({ message, style }: { message: string; style?: React.CSSProperties }) {
  if (!message) return null;
  return (
    <p className="alert" role="alert" style={style}>
      {message}
    </p>
  );
}
