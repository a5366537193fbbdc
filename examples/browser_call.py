#!/usr/bin/python3
# rtcpeer example: a call with a web browser.
#
# Serves a page on http://127.0.0.1:8080/. Open it in Chromium, Chrome or
# Firefox on the same machine: the page sends its camera and microphone,
# rtcpeerbin answers with a test picture and a tone, and both sides say
# hello on a data channel. Signalling is one HTTP request: the page posts
# its offer once its ICE candidates are gathered, and gets back the answer
# with ours (no trickle, as in WHIP).
#
#   GST_PLUGIN_PATH=build/gst/rtcpeer /usr/bin/python3 examples/browser_call.py
#
# Options: --port, --ice-address (the address rtcpeerbin gathers on; the
# browser must reach it), --show (display the browser's video), and
# --exit-when-done (exit 0 once media and a data channel message went both
# ways, 1 after --timeout seconds: how the test suite runs it).

import argparse
import http.server
import json
import sys
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstSdp", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>rtcpeer call</title></head>
<body>
<p id="status">starting</p>
<video id="remote" autoplay playsinline muted width="320"></video>
<script>
const status = (s) => (document.getElementById("status").textContent = s);
(async () => {
  const pc = new RTCPeerConnection();
  const media = await navigator.mediaDevices.getUserMedia(
      { audio: true, video: { width: 320, height: 240 } });
  media.getTracks().forEach((t) => pc.addTrack(t, media));
  pc.ontrack = (e) => {
    if (e.track.kind === "video")
      document.getElementById("remote").srcObject = e.streams[0];
  };
  const chat = pc.createDataChannel("chat");
  let reply = null;
  chat.onopen = () => chat.send("hello from the browser");
  chat.onmessage = (e) => (reply = e.data);

  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((resolve) => {
    if (pc.iceGatheringState === "complete") resolve();
    pc.onicegatheringstatechange = () =>
        pc.iceGatheringState === "complete" && resolve();
  });
  const res = await fetch("/offer", { method: "POST",
      body: JSON.stringify({ sdp: pc.localDescription.sdp }) });
  await pc.setRemoteDescription({ type: "answer", sdp: (await res.json()).sdp });
  status("connecting");

  // report once pictures are decoded and the data channel answered
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    let frames = 0;
    (await pc.getStats()).forEach((s) => {
      if (s.type === "inbound-rtp" && s.kind === "video")
        frames += s.framesDecoded || 0;
    });
    const video = document.getElementById("remote");
    status(`${pc.connectionState}, ${frames} frames decoded, ` +
           `data channel: ${reply || "waiting"}`);
    if (frames > 10 && video.videoWidth > 0 && reply) {
      await fetch("/report", { method: "POST", body: JSON.stringify(
          { framesDecoded: frames, width: video.videoWidth, reply }) });
      break;
    }
  }
})().catch((e) => status(`error: ${e}`));
</script></body></html>
"""

VIDEO = ("videotestsrc is-live=true pattern=ball ! "
         "video/x-raw,width=320,height=240,framerate=30/1 ! "
         "vp8enc deadline=1 cpu-used=8 keyframe-max-dist=30 ! "
         "rtpvp8pay pt=96 ! queue")
AUDIO = ("audiotestsrc is-live=true wave=sine ! opusenc ! "
         "rtpopuspay pt=111 ! queue")


def call(pc, signal, *args, field=None):
    """Runs an action signal that answers a promise and waits for it; the
    value kept is copied before the promise goes away."""
    promise = Gst.Promise.new()
    pc.emit(signal, *args, promise)
    promise.wait()
    reply = promise.get_reply()
    if reply is not None and reply.has_field("error"):
        raise RuntimeError(f"{signal}: {reply.get_value('error')}")
    return reply.get_value(field).copy() if field else None


class Call:
    """One rtcpeerbin answering one browser."""

    def __init__(self, args):
        self.pipeline = Gst.Pipeline.new("call")
        self.pc = Gst.ElementFactory.make("rtcpeerbin")
        if args.ice_address:
            self.pc.set_property("ice-addresses", args.ice_address)
        self.pipeline.add(self.pc)
        self.show = args.show
        self.frames = 0
        self.message = None
        self.gathered = threading.Event()
        self.pc.connect("notify::ice-gathering-state", self.on_gathering)
        self.pc.connect("pad-added", self.on_pad_added)
        self.pc.connect("on-data-channel", self.on_data_channel)
        # what we send: linked before the offer arrives, so the offer's
        # audio and video sections find them
        for desc in (VIDEO, AUDIO):
            src = Gst.parse_bin_from_description(desc, True)
            self.pipeline.add(src)
            src.link(self.pc)
        self.pipeline.set_state(Gst.State.PLAYING)

    def answer(self, offer_sdp):
        ok, sdp = GstSdp.SDPMessage.new_from_text(offer_sdp)
        if ok != GstSdp.SDPResult.OK:
            raise RuntimeError("the offer is not SDP")
        offer = GstWebRTC.WebRTCSessionDescription.new(
            GstWebRTC.WebRTCSDPType.OFFER, sdp)
        call(self.pc, "set-remote-description", offer)
        answer = call(self.pc, "create-answer", None, field="answer")
        call(self.pc, "set-local-description", answer)
        # no trickle: answer once our candidates are in the description
        if not self.gathered.wait(10):
            raise RuntimeError("ICE gathering did not complete")
        return self.pc.get_property("local-description").sdp.as_text()

    def on_gathering(self, pc, pspec):
        if (pc.get_property("ice-gathering-state") ==
                GstWebRTC.WebRTCICEGatheringState.COMPLETE):
            self.gathered.set()

    def on_pad_added(self, pc, pad):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        decodebin = Gst.ElementFactory.make("decodebin")
        decodebin.connect("pad-added", self.on_decoded)
        self.pipeline.add(decodebin)
        decodebin.sync_state_with_parent()
        pad.link(decodebin.get_static_pad("sink"))

    def on_decoded(self, decodebin, pad):
        video = pad.get_current_caps().get_structure(0).get_name() \
            .startswith("video")
        desc = ("videoconvert ! autovideosink" if video and self.show
                else "fakesink sync=false")
        sink = Gst.parse_bin_from_description(desc, True)
        self.pipeline.add(sink)
        sink.sync_state_with_parent()
        pad.link(sink.get_static_pad("sink"))
        if video:
            pad.add_probe(Gst.PadProbeType.BUFFER, self.count)

    def count(self, pad, info):
        self.frames += 1
        return Gst.PadProbeReturn.OK

    def on_data_channel(self, pc, channel):
        def on_message(ch, text):
            print(f"data channel '{ch.get_property('label')}': {text}")
            self.message = text
            ch.emit("send-string", "hello from rtcpeerbin")

        channel.connect("on-message-string", on_message)

    def stop(self):
        self.pipeline.set_state(Gst.State.NULL)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, args, done):
        super().__init__(("127.0.0.1", args.port), Handler)
        self.args = args
        self.call = None
        self.done = done
        self.report = None


class Handler(http.server.BaseHTTPRequestHandler):
    def send_body(self, ctype, body):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path != "/":
            self.send_error(404)
            return
        self.send_body("text/html", PAGE.encode())

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path == "/offer":
            if self.server.call:
                self.server.call.stop()
            self.server.call = Call(self.server.args)
            try:
                sdp = self.server.call.answer(body["sdp"])
            except RuntimeError as e:
                self.send_error(400, str(e))
                return
            self.send_body("application/json", json.dumps({"sdp": sdp})
                           .encode())
        elif self.path == "/report":
            print("the browser reports:", body)
            self.server.report = body
            self.send_body("application/json", b"{}")
            GLib.idle_add(self.server.done)
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--ice-address", default="",
                   help="address(es) to gather ICE candidates on")
    p.add_argument("--show", action="store_true")
    p.add_argument("--exit-when-done", action="store_true")
    p.add_argument("--timeout", type=int, default=60)
    args = p.parse_args()

    Gst.init(None)
    loop = GLib.MainLoop()
    result = {"ok": False}

    def check():
        srv = server
        if srv.report and srv.call and srv.call.frames > 10 \
                and srv.call.message:
            print(f"call done: we decoded {srv.call.frames} frames, the "
                  f"browser {srv.report['framesDecoded']}")
            result["ok"] = True
            if args.exit_when_done:
                loop.quit()
            return False
        return True

    server = Server(args, lambda: GLib.timeout_add(100, check) and False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"open http://127.0.0.1:{server.server_address[1]}/ in a browser",
          flush=True)
    if args.exit_when_done:
        GLib.timeout_add_seconds(args.timeout, loop.quit)
    try:
        loop.run()
    except KeyboardInterrupt:
        pass
    server.shutdown()
    if server.call:
        server.call.stop()
    if args.exit_when_done and not result["ok"]:
        print("FAILED: no call with media and data both ways within "
              f"{args.timeout} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
