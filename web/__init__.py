"""creditdesk-web: the read-only verification page behind a report's QR code (docs/web.md)."""
