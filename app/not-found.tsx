import Link from "next/link";

export default function NotFound() {
  return (
    <main className="narrow">
      <div className="card stack">
        <h1 style={{ margin: 0 }}>Not found</h1>
        <p className="muted">There is nothing here, or you do not have access to it.</p>
        <Link href="/desks">Back to your desks</Link>
      </div>
    </main>
  );
}
