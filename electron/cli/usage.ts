import { DEFAULT_PORT } from '../../shared/ports.ts';

// Every command's usage, apart from the commands themselves: `haul --version`, `haul help` and
// a usage mistake load nothing else (start-up is most of a short command's time).

export const GET_USAGE = `Usage: haul get <url | magnet: | FILE.torrent> [-o FILE] [-d DIR] [-x N] [--limit RATE] [-H 'Name: value']... [--checksum sha256=HEX] [--quality Q] [--container ts]

  -o, --output FILE     save as FILE (default: the server's name, in DIR)
  -d, --dir DIR         save into DIR (default: the current directory)
  -x, --connections N   connections to use, 1-32 (default 8)
      --limit RATE      speed limit such as 500K or 2M (bytes/s; default none)
  -H, --header H        extra request header, repeatable ('Cookie: a=b')
      --checksum C      verify the file: sha256=HEX, sha1=HEX or md5=HEX
      --quality Q       for a video stream (HLS or DASH): best (default), worst,
                        a height such as 720p, or a bandwidth in bits/s
      --container ts    keep a stream of MPEG-TS segments as one .ts (default: MP4)
      --ca-cert FILE    also trust the CA certificate(s) in FILE (PEM) for https
      --insecure        do not verify the server's TLS certificate at all
      --select LIST     a torrent's files to download, numbered from 1: 1,3-5 (default all)
      --seed            seed a finished torrent (to ratio 1 or 60 minutes) before exiting
      --no-dht, --no-lsd, --no-pex   find a torrent's peers through its trackers only
  -q, --quiet           no progress output

Running the same command again after an interruption resumes the partial file; after it
finished, it says where the file is. With -o, the same FILE with a new URL (a refreshed
link) continues it too, if the server proves it is the same file. A link that answers with
an HLS playlist or a DASH manifest saves its video as one MP4 (NAME.mp4), not the playlist.
A magnet link, a .torrent file or a link to one downloads the torrent's files (a torrent of
several files into a folder of its name), each piece verified before they are moved into place.`;

export const SERVE_USAGE = `Usage: haul serve [--host H] [--port P] [--data-dir D] [--download-dir DL] [--allow-host NAME]... [--open]
                  [--public-url URL] [--tls-cert FILE --tls-key FILE]
                  [--redis redis://HOST:PORT[/DB] [--node-name NAME] [--lease-ms MS]]
                  [--trust-proxy ADDRESS[,ADDRESS...]] [--rpc-port P]

Runs Haul without the desktop shell: the engine, the HTTP API and event stream, and the
interface at /. Binds 127.0.0.1 unless --host says otherwise; every API call needs the token.

  --port P   listen on P (0: any free port). Default: ${DEFAULT_PORT}, or the next free one.
  --open     open the interface in the default browser, where a desktop session exists.
  --public-url URL        the address people open behind a reverse proxy, such as
                          https://nas.example/haul: its host and origin are allowed, its
                          path is accepted as a prefix, and it is the printed link.
  --tls-cert FILE --tls-key FILE   serve HTTPS with this certificate and key (PEM).
  --trust-proxy ADDRESS   the reverse proxies in front of Haul (addresses or ranges such as
                          127.0.0.1 or 10.0.0.0/8): from them, X-Forwarded-For names the
                          client, so sign-in limits apply per person, not to the proxy.
  --redis URL             share one Haul with every node started with the same Redis
                          (6.2 or later, appendonly yes): one list, one queue, one event
                          stream; downloads, settings and accounts live there. The download
                          folder should be shared storage, mounted at the same path.
  --node-name NAME        this node's name among them. Default: the host name.
  --lease-ms MS           how long a download stays with a node that stopped answering
                          before another takes it over. Default 15000.
  --rpc-port P            also answer aria2's JSON-RPC (AriaNg, aria2 extensions) on port P,
                          as aria2 does on 6800; it always answers at /jsonrpc on the main
                          port. The RPC secret is the token (or a user's API token).
The token is kept in <data-dir>/token, so the printed address keeps working after a
restart (HAUL_TOKEN overrides it; delete the file for a new one).`;

export const ADD_USAGE = `Usage: haul add <url | magnet: | FILE.torrent>... [-d DIR] [-x N] [--select LIST] [--token T]

Hands the URLs (magnet links and .torrent files too; --select 1,3-5 picks one torrent's
files, numbered from 1) to the running Haul (the desktop app or haul serve), found through
<data-dir>/server.json. With accounts on, --token (or HAUL_USER_TOKEN) is a user's API
token: the downloads are that user's, in their folder.`;

export const EXPORT_USAGE = `Usage: haul export [--format json|aria2|text] [--token T]

Prints the running Haul's downloads: Haul's JSON (to import again, keeping their state and
options), an aria2 input file (each link with its options indented below it), or the links
one per line. Secret headers (cookies) are never written. With accounts on, --token (or
HAUL_USER_TOKEN) is a user's API token: that user's downloads.`;

export const IMPORT_USAGE = `Usage: haul import FILE [--token T]

Adds the downloads of FILE to the running Haul: Haul's JSON export, an aria2 input file
(its options such as dir, out, header, split, max-download-limit, pause), or links one per
line (at most 1 MiB, 10,000 downloads). Finished ones are left out; any that cannot be added
are named with their line, and the exit status is 1.`;

export const USER_USAGE = `Usage: haul user add NAME [--role admin|user|viewer]
       haul user limit NAME [--max-running N] [--speed-limit RATE]
       haul user passwd NAME [--revoke-tokens]
       haul user tokens NAME [--revoke ID]
       haul user remove NAME
       haul user list
       (each takes [--data-dir D], or [--redis URL] for several nodes sharing Redis)

Accounts for haul serve: with the first user, every request needs a sign-in (the page asks)
or a user's API token; without users, Haul works as before, with no sign-in. The password is
read from standard input when it is not a terminal (echo 'secret' | haul user add ann),
otherwise asked for twice, unseen. Roles: admin (everything, every user's downloads, the
settings), user (their own downloads, in their own folder), viewer (watches only). A user
added while Haul runs can sign in at once. Limits (0 = none, the default): downloads of that
user running at once, and bytes/s over all of them (500K, 2M); they apply within a second.
A new password ends the user's sign-ins everywhere; their API tokens keep working unless
--revoke-tokens is given. "tokens" lists a user's API tokens (id, label, made, last used);
--revoke ID revokes one.`;

export const SHORT_USAGE = `Haul, a careful download manager.

Usage:
  haul get <url> [-o FILE] [-d DIR] [-x N] [--limit RATE]    download one file (or torrent) here
  haul serve [--host H] [--port P] [--data-dir D] [--download-dir DL] [--allow-host NAME]...
  haul add <url | FILE.torrent>... [-d DIR] [-x N]           hand URLs to the running Haul
  haul export [--format json|aria2|text]                     print the running Haul's downloads
  haul import FILE                                           add a list (Haul's, aria2's, links)
  haul user add|passwd|tokens|remove|list [NAME] [--role R]  accounts for haul serve
  haul help [command]                                        that command's options
  haul --version`;

export const USAGE = `${SHORT_USAGE}

${GET_USAGE}

${SERVE_USAGE}

${ADD_USAGE}

${EXPORT_USAGE}

${IMPORT_USAGE}

${USER_USAGE}`;
