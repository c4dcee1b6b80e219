/**
 * Checked downloads: mirrors tried in order, each given a deadline per file, a size bound and
 * checked redirects, SHA-256 verified, written to a temporary file and renamed only when
 * complete, temporary files of killed downloads removed once stale
 * ({@link dev.vectorgrad.data.download.Downloader}).
 */
package dev.vectorgrad.data.download;
