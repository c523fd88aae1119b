"""Notification channels (an adapter): PagerDuty Events API v2, chat webhooks, and webhooks
signed by the Standard Webhooks specification; delivery with retries and backoff."""
