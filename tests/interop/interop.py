#!/usr/bin/python3
# rtcpeer interop: rtcpeerbin against headless Chromium.
#
# Serves tests/interop/page.html on 127.0.0.1 together with a small
# long-poll signalling channel, starts Chromium on it through
# playwright-core (browser.cjs), and runs the GStreamer side with
# rtcpeerbin. Both sides check what they receive; the test passes when both
# did. See run-interop.sh for the network namespace this runs in.
#
#   interop.py --role offerer|answerer --codec VP8|H264 [--media] [--dc]
#              [--reneg] [--restart] [--ice-address ADDR]
#              [--mdns-flag on|off]

import argparse
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import urllib.parse
import uuid

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstSdp", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SKIP = 77
FRAMES = 20
LARGE = 64 * 1024

SOURCES = {
    "VP8": ("videotestsrc is-live=true pattern=ball ! "
            "video/x-raw,width=320,height=240,framerate=30/1 ! "
            "vp8enc deadline=1 cpu-used=8 keyframe-max-dist=30 ! "
            "rtpvp8pay pt={pt} ! queue"),
    "H264": ("videotestsrc is-live=true pattern=ball ! "
             "video/x-raw,width=320,height=240,framerate=30/1 ! "
             "openh264enc gop-size=30 ! "
             "video/x-h264,profile=constrained-baseline ! "
             "rtph264pay pt={pt} config-interval=-1 aggregate-mode=zero-latency"
             # the payloader's first caps carry neither: without them the
             # track cannot be matched to a browser's H264 (RFC 6184 8.1)
             " ! application/x-rtp,packetization-mode=(string)1,"
             "profile-level-id=(string)42e01f ! queue"),
    "opus": ("audiotestsrc is-live=true wave=sine ! opusenc ! "
             "rtpopuspay pt={pt} ! queue"),
}


def log(*args):
    print("[gst]", *args, flush=True)


class Signalling(http.server.ThreadingHTTPServer):
    """The page's files and a message queue each way, on 127.0.0.1."""

    daemon_threads = True

    def __init__(self, on_message):
        super().__init__(("127.0.0.1", 0), SignallingHandler)
        self.to_page = []
        self.cond = threading.Condition()
        self.on_message = on_message

    def push(self, msg):
        with self.cond:
            self.to_page.append(msg)
            self.cond.notify_all()

    def messages_from(self, index, wait_s):
        with self.cond:
            self.cond.wait_for(lambda: len(self.to_page) > index, wait_s)
            return self.to_page[index:], len(self.to_page)


class SignallingHandler(http.server.BaseHTTPRequestHandler):
    FILES = {"/page.html": "text/html", "/page.js": "text/javascript"}

    def reply(self, ctype, body):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path in self.FILES:
            with open(os.path.join(HERE, url.path[1:]), "rb") as f:
                self.reply(self.FILES[url.path], f.read())
        elif url.path == "/poll":
            query = urllib.parse.parse_qs(url.query)
            index = int(query.get("next", ["0"])[0])
            msgs, nxt = self.server.messages_from(index, 5)
            body = json.dumps({"messages": msgs, "next": nxt}).encode()
            self.reply("application/json", body)
        else:
            self.send_error(404)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        msg = json.loads(self.rfile.read(length))
        GLib.idle_add(self.server.on_message, msg)
        self.reply("application/json", b"{}")

    def log_message(self, *args):
        pass


def call(pc, signal, *args, field=None, full=False):
    """An action signal that answers a promise, waited for; the reply's
    values are copied before the promise goes."""
    promise = Gst.Promise.new()
    pc.emit(signal, *args, promise)
    promise.wait()
    reply = promise.get_reply()
    if reply is not None and reply.has_field("error"):
        raise RuntimeError(f"{signal}: {reply.get_value('error')}")
    if field:
        return reply.get_value(field).copy()
    return reply.copy() if full else None


def description(kind, text):
    ok, sdp = GstSdp.SDPMessage.new_from_text(text)
    if ok != GstSdp.SDPResult.OK:
        raise RuntimeError(f"unparsable {kind} from the browser")
    sdp_type = (GstWebRTC.WebRTCSDPType.OFFER if kind == "offer"
                else GstWebRTC.WebRTCSDPType.ANSWER)
    return GstWebRTC.WebRTCSessionDescription.new(sdp_type, sdp)


def offered_pt(sdp_text, kind, codec):
    """The payload type the browser's offer gives @codec in its first
    @kind section (packetization-mode=1 for H264), or None."""
    ok, sdp = GstSdp.SDPMessage.new_from_text(sdp_text)
    for i in range(sdp.medias_len()):
        media = sdp.get_media(i)
        if media.get_media() != kind:
            continue
        fmtps = {}
        for j in range(media.attributes_len()):
            a = media.get_attribute(j)
            if a.key == "fmtp":
                pt, _, params = a.value.partition(" ")
                fmtps[pt] = params
        for j in range(media.attributes_len()):
            a = media.get_attribute(j)
            if a.key != "rtpmap":
                continue
            pt, _, enc = a.value.partition(" ")
            if enc.split("/")[0].lower() != codec.lower():
                continue
            if codec == "H264" and (
                    "packetization-mode=1" not in fmtps.get(pt, "")
                    or "profile-level-id=42e0" not in fmtps.get(pt, "")):
                continue
            return int(pt)
    return None


class Side:
    """The GStreamer side: one rtcpeerbin, its sources and decoders."""

    def __init__(self, args, loop):
        self.args = args
        self.loop = loop
        self.failure = None
        self.hidden = 0
        self.skipped = None
        self.page_result = None
        self.pipeline = Gst.Pipeline.new("interop")
        self.pc = Gst.ElementFactory.make("rtcpeerbin", "pc")
        self.pc.set_property("ice-addresses", args.ice_address)
        self.pc.set_property("bundle-policy",
                             GstWebRTC.WebRTCBundlePolicy.MAX_BUNDLE)
        self.pipeline.add(self.pc)
        self.pads = {}            # src pad name -> dict(kind, msid, frames)
        self.streams_added = []
        self.dc_ok = False
        self.dc_errors = []
        self.remote_channel_seen = False
        self.remote_channels = []       # kept alive while they echo
        self.reneg_stage = 0
        self.extra_stream = None
        self.restart_wanted = False
        self.audio_at_restart = None
        self.pc.connect("on-ice-candidate", self.on_ice_candidate)
        self.pc.connect("pad-added", self.on_pad_added)
        self.pc.connect("on-add-stream", self.on_add_stream)
        self.pc.connect("on-data-channel", self.on_data_channel)
        self.pc.connect("on-negotiation-needed", self.on_negotiation_needed)
        self.pc.connect("notify::connection-state", self.on_state)
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message::error", self.on_bus_error)
        bus.connect("message::warning", self.on_bus_warning)
        self.warnings = []
        self.sig = Signalling(self.on_message)
        threading.Thread(target=self.sig.serve_forever, daemon=True).start()
        self.negotiation_wanted = False

    # -- failures ---------------------------------------------------------

    def fail(self, why):
        if self.failure is None:
            self.failure = why
            log("FAIL:", why)
        self.loop.quit()

    def on_bus_error(self, bus, msg):
        err, dbg = msg.parse_error()
        self.fail(f"bus error from {msg.src.get_name()}: {err.message} "
                  f"({dbg})")

    def on_bus_warning(self, bus, msg):
        err, dbg = msg.parse_warning()
        log("warning:", err.message)
        self.warnings.append(err.message)

    def on_state(self, pc, pspec):
        log("connection-state", pc.get_property("connection-state")
            .value_nick)

    # -- media ------------------------------------------------------------

    def add_source(self, codec, pt):
        src = Gst.parse_bin_from_description(
            SOURCES[codec].format(pt=pt), True)
        self.pipeline.add(src)
        src.link(self.pc)          # requests sink_%u
        src.sync_state_with_parent()

    def on_pad_added(self, pc, pad):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        info = {"msid": pad.get_property("msid"), "frames": 0, "kind": "?"}
        self.pads[pad.get_name()] = info
        log("pad-added", pad.get_name(), "msid", info["msid"])
        decodebin = Gst.ElementFactory.make("decodebin")
        decodebin.connect("pad-added", self.on_decoded, info)
        self.pipeline.add(decodebin)
        decodebin.sync_state_with_parent()
        pad.link(decodebin.get_static_pad("sink"))

    def on_decoded(self, decodebin, pad, info):
        info["kind"] = pad.get_current_caps().get_structure(0).get_name()[:5]
        sink = Gst.ElementFactory.make("fakesink")
        sink.set_property("sync", False)
        self.pipeline.add(sink)
        sink.sync_state_with_parent()
        pad.link(sink.get_static_pad("sink"))

        def count(pad, probe_info):
            info["frames"] += 1
            return Gst.PadProbeReturn.OK

        sink.get_static_pad("sink").add_probe(Gst.PadProbeType.BUFFER, count)

    def on_add_stream(self, pc, msid):
        log("on-add-stream", msid)
        self.streams_added.append(msid)

    def decoded(self, kind, msid=None):
        return sum(p["frames"] for p in list(self.pads.values())
                   if p["kind"] == kind and (msid is None
                                             or p["msid"] == msid))

    # -- data channels ----------------------------------------------------

    def on_data_channel(self, pc, channel):
        label = channel.get_property("label")
        log("on-data-channel", label)
        self.remote_channel_seen = True

        # echo on the browser's channel: strings as strings, bytes as bytes
        def on_string(ch, s):
            ch.emit("send-string", s)

        def on_data(ch, data):
            ch.emit("send-data", data)

        channel.connect("on-message-string", on_string)
        channel.connect("on-message-data", on_data)
        self.remote_channels.append(channel)

    def open_channel(self):
        self.channel = self.pc.emit("create-data-channel", "from-gst", None)
        self.expect = ["hello from gst", bytes(range(256)),
                       bytes((i * 13) & 0xff for i in range(LARGE))]
        self.pending = list(self.expect)

        def send_next():
            item = self.pending[0]
            if isinstance(item, str):
                self.channel.emit("send-string", item)
            else:
                self.channel.emit("send-data", GLib.Bytes.new(item))

        def on_open(ch):
            log("from-gst open")
            GLib.idle_add(lambda: send_next() and False)

        def check(got):
            want = self.pending.pop(0)
            if got != want:
                self.fail(f"echo on from-gst differs: sent {len(want)} "
                          f"got {len(got)}")
                return
            if self.pending:
                send_next()
            else:
                log("from-gst: every echo came back")
                self.dc_ok = True
                self.check_done()

        def on_string(ch, s):
            GLib.idle_add(lambda: check(s) and False)

        def on_data(ch, data):
            got = bytes(data.get_data())
            GLib.idle_add(lambda: check(got) and False)

        self.channel.connect("on-open", on_open)
        self.channel.connect("on-message-string", on_string)
        self.channel.connect("on-message-data", on_data)

    # -- signalling ---------------------------------------------------------

    def on_ice_candidate(self, pc, mline, candidate):
        self.sig.push({"type": "candidate", "mline": mline,
                       "candidate": candidate})

    def on_negotiation_needed(self, pc):
        log("on-negotiation-needed")
        if self.reneg_stage == 2 or self.restart_wanted:
            self.restart_wanted = False
            GLib.idle_add(self.offer)

    def offer(self):
        try:
            offer = call(self.pc, "create-offer", None, field="offer")
            call(self.pc, "set-local-description", offer)
            if os.environ.get("RTC_INTEROP_SDP"):
                log("offer:\n" + offer.sdp.as_text())
            self.sig.push({"type": "offer", "sdp": offer.sdp.as_text()})
        except RuntimeError as e:
            self.fail(str(e))
        return False

    def answer(self, sdp_text):
        if self.args.media and not self.pc.sinkpads:
            video_pt = offered_pt(sdp_text, "video", self.args.codec)
            audio_pt = offered_pt(sdp_text, "audio", "opus")
            if video_pt is None:
                self.fail(f"the browser offered no {self.args.codec}")
                return
            self.video_pt = video_pt
            self.add_source(self.args.codec, video_pt)
            self.add_source("opus", audio_pt)
        call(self.pc, "set-remote-description", description("offer", sdp_text))
        answer = call(self.pc, "create-answer", None, field="answer")
        call(self.pc, "set-local-description", answer)
        if os.environ.get("RTC_INTEROP_SDP"):
            log("offer:\n" + sdp_text + "\nanswer:\n" + answer.sdp.as_text())
        self.sig.push({"type": "answer", "sdp": answer.sdp.as_text()})

    def on_message(self, msg):
        kind = msg.get("type")
        try:
            if kind == "log":
                print("[page]", msg["text"], flush=True)
            elif kind == "candidate":
                self.pc.emit("add-ice-candidate", msg["mline"],
                             self.hide_address(msg["candidate"]))
            elif kind == "offer":
                self.answer(msg["sdp"])
            elif kind == "answer":
                call(self.pc, "set-remote-description",
                     description("answer", msg["sdp"]))
            elif kind == "restart-ice":
                # the browser restarted; now ours (W3C restartIce)
                self.audio_at_restart = self.decoded("audio")
                self.restart_wanted = True
                self.pc.emit("restart-ice")
            elif kind == "track-added":
                # the browser's renegotiation is done; our turn to add one
                self.extra_stream = msg["stream"]
                self.reneg_stage = 2
                self.add_source(self.args.codec, self.video_pt)
            elif kind == "result":
                log("page result:", json.dumps(msg))
                self.page_result = msg
                if msg.get("skip"):
                    self.skipped = msg["skip"]
                    self.loop.quit()
                elif not msg.get("ok"):
                    self.fail(f"the page failed: {msg.get('error')}")
                elif self.args.media:
                    want = "video/" + self.args.codec
                    got = [v["codec"] for v in msg["media"]["video"]]
                    if want not in got:
                        self.fail(f"the page decoded {got}, not {want}")
                self.check_done()
        except RuntimeError as e:
            self.fail(str(e))
        return False

    def hide_address(self, candidate):
        """What Chromium sends when it hides its host addresses: the
        address replaced by a .local name (which run-interop.sh makes the
        namespace's resolver know)."""
        if not self.args.mdns_rewrite or not candidate:
            return candidate
        names = dict(kv.split("=") for kv in
                     os.environ["RTC_INTEROP_MDNS"].split(","))
        fields = candidate.split(" ")
        if len(fields) > 7 and fields[7] == "host" and fields[4] in names:
            fields[4] = names[fields[4]]
            self.hidden += 1
            if self.hidden == 1:
                # and a name nobody announces, which must be reported
                self.unknown_name = f"{uuid.uuid4()}.local"
                self.pc.emit("add-ice-candidate", 0,
                             f"candidate:9 1 udp 2122260223 "
                             f"{self.unknown_name} 9 typ host")
        return " ".join(fields)

    def check_remote_host(self):
        """The selected pair's remote candidate is the browser's host
        address: found through the .local name, not learned as
        peer-reflexive from its checks."""
        reply = call(self.pc, "get-stats", None, field=None, full=True)
        stats = {}
        for i in range(reply.n_fields()):
            name = reply.nth_field_name(i)
            value = reply.get_value(name)
            if isinstance(value, Gst.Structure):
                stats[name] = value
        for t in stats.values():
            if t.get_value("type") != GstWebRTC.WebRTCStatsType.TRANSPORT \
                    or not t.has_field("selected-candidate-pair-id"):
                continue
            pair = stats[t.get_value("selected-candidate-pair-id")]
            remote = stats[pair.get_value("remote-candidate-id")]
            kind = remote.get_value("candidate-type")
            addr = remote.get_value("address")
            log("selected remote candidate", addr, kind)
            # libnice may have learnt the address from the browser's
            # checks (prflx) before the name was resolved
            return addr.startswith("10.77.0.")
        return False

    def check_mdns_warnings(self):
        """The one name nobody announces is reported, and nothing else."""
        mdns = [w for w in self.warnings if ".local" in w]
        if not any(self.unknown_name in w for w in mdns):
            return f"no warning about the unresolvable {self.unknown_name}"
        others = [w for w in mdns if self.unknown_name not in w]
        if others:
            return f"a browser name was not resolved: {others[0]}"
        return None

    # -- progress -----------------------------------------------------------

    def tick(self):
        """Moves the renegotiation along and finishes when all is seen."""
        a = self.args
        if (a.reneg and self.reneg_stage == 0 and self.decoded("video")
                >= FRAMES and self.decoded("audio") >= FRAMES):
            self.reneg_stage = 1
            self.first_streams = set(self.streams_added)
            log("first media decoded; asking the browser for a track")
            self.sig.push({"type": "add-track"})
        self.check_done()
        return True

    def check_done(self):
        a = self.args
        if self.failure or self.page_result is None:
            return
        if a.media and (self.decoded("video") < FRAMES
                        or self.decoded("audio") < FRAMES):
            return
        if a.dc and not (self.dc_ok and self.remote_channel_seen):
            return
        if a.reneg:
            if self.extra_stream is None:
                return
            if self.extra_stream not in self.streams_added:
                return
            if self.decoded("video", self.extra_stream) < FRAMES:
                return
        if a.restart and (self.audio_at_restart is None or
                          self.decoded("audio") < self.audio_at_restart
                          + FRAMES):
            return
        log("done: video", self.decoded("video"), "audio",
            self.decoded("audio"), "streams", self.streams_added)
        self.loop.quit()

    def status(self):
        return (f"video {self.decoded('video')} audio {self.decoded('audio')}"
                f" pads {self.pads} streams {self.streams_added} "
                f"dc_ok {self.dc_ok} remote channel "
                f"{self.remote_channel_seen} reneg stage {self.reneg_stage} "
                f"connection "
                f"{self.pc.get_property('connection-state').value_nick}")


def start_browser(url, args, profile):
    flags = ["--no-sandbox", "--disable-gpu",
             "--use-fake-ui-for-media-stream",
             "--use-fake-device-for-media-stream",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run"]
    if args.mdns_flag == "off":
        flags.append("--disable-features=WebRtcHideLocalIpsWithMdns")
    env = dict(os.environ)
    env["RTC_CHROMIUM_FLAGS"] = json.dumps(flags)
    return subprocess.Popen(
        ["node", os.path.join(HERE, "browser.cjs"), url, profile],
        stdin=subprocess.PIPE, env=env)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--role", choices=["offerer", "answerer"],
                   default="offerer", help="the browser's role")
    p.add_argument("--codec", choices=["VP8", "H264"], default="VP8")
    p.add_argument("--media", action="store_true")
    p.add_argument("--dc", action="store_true")
    p.add_argument("--reneg", action="store_true")
    p.add_argument("--restart", action="store_true",
                   help="then an ICE restart each way")
    p.add_argument("--ice-address", default="10.77.0.1")
    p.add_argument("--mdns-flag", choices=["on", "off"], default="off",
                   help="on: Chromium's default (it may hide host addresses "
                   "behind mDNS names), off: started with the flag that "
                   "turns that off")
    p.add_argument("--mdns-rewrite", action="store_true",
                   help="give rtcpeerbin the browser's host candidates "
                   "with .local names, as Chromium does when it hides them")
    p.add_argument("--timeout", type=int, default=90)
    args = p.parse_args()

    Gst.init(None)
    if Gst.ElementFactory.find("rtcpeerbin") is None:
        print("rtcpeerbin not found: set GST_PLUGIN_PATH")
        return 1
    loop = GLib.MainLoop()
    side = Side(args, loop)
    if args.role == "answerer":
        if args.media:
            side.video_pt = 96
            side.add_source(args.codec, side.video_pt)
            side.add_source("opus", 111)
        if args.dc:
            side.open_channel()
    elif args.dc:
        side.open_channel()
    side.pipeline.set_state(Gst.State.PLAYING)

    query = urllib.parse.urlencode({
        "role": args.role, "codec": args.codec,
        "media": int(args.media), "dc": int(args.dc),
        "reneg": int(args.reneg), "restart": int(args.restart)})
    url = f"http://127.0.0.1:{side.sig.server_address[1]}/page.html?{query}"
    log("page", url)
    with tempfile.TemporaryDirectory(prefix="rtcpeer-chromium-") as profile:
        browser = start_browser(url, args, profile)
        if args.role == "answerer":
            GLib.idle_add(side.offer)

        def browser_gone():
            if browser.poll() is not None:
                side.fail(f"the browser driver exited ({browser.returncode})")
                return False
            return True

        def timeout():
            side.fail(f"timed out after {args.timeout} s: {side.status()}")
            return False

        GLib.timeout_add(200, side.tick)
        GLib.timeout_add(500, browser_gone)
        GLib.timeout_add_seconds(args.timeout, timeout)
        loop.run()
        if not side.failure and not side.skipped and args.mdns_rewrite:
            if side.hidden == 0:
                side.failure = "no host candidate of the browser was renamed"
            else:
                side.failure = side.check_mdns_warnings()
            if side.failure is None and not side.check_remote_host():
                side.failure = ("the selected pair's remote candidate is not the "
                                "browser's host address behind its .local name")
        side.sig.push({"type": "done"})
        side.pipeline.set_state(Gst.State.NULL)
        browser.stdin.close()
        try:
            browser.wait(20)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()
        side.sig.shutdown()
    if side.skipped:
        print("SKIP:", side.skipped)
        return SKIP
    if side.failure:
        print("FAILED:", side.failure)
        return 1
    print("PASSED:", side.status())
    return 0


if __name__ == "__main__":
    sys.exit(main())
