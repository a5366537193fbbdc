// rtcpeer interop: the browser side of tests/interop/interop.py.
//
// The page talks to the test's own HTTP server (same origin) with two
// calls: POST /send (one JSON message) and GET /poll?next=N (the messages
// from N on, waited for up to a few seconds). The query string picks the
// scenario:
//   role=offerer|answerer   who creates the first offer (the browser or not)
//   codec=VP8|H264          the video codec to prefer
//   media=1 / dc=1          audio+video / data channels
//   reneg=1                 then add a video track each way
//   restart=1               then an ICE restart by the browser, then one
//                           by the other side (restartIce / restart-ice)
// The page posts {type: "result", ...} when its checks passed (or failed),
// with what it measured, and keeps answering renegotiations until told
// {type: "done"}.

"use strict";

const params = new URLSearchParams(location.search);
const ROLE = params.get("role") || "offerer";
const CODEC = params.get("codec") || "VP8";
const MEDIA = params.get("media") === "1";
const DC = params.get("dc") === "1";
const RENEG = params.get("reneg") === "1";
const RESTART = params.get("restart") === "1";
const LARGE = 64 * 1024;

let nextIndex = 0;
const inbox = [];
let inboxWaiters = [];

function send(msg) {
  return fetch("/send", { method: "POST", body: JSON.stringify(msg) });
}

function log(...args) {
  const text = args.map(String).join(" ");
  console.log(text);
  send({ type: "log", text });
}

async function pollLoop() {
  for (;;) {
    let res;
    try {
      res = await fetch(`/poll?next=${nextIndex}`);
    } catch (e) {
      return;               // the server is gone: the test is over
    }
    const body = await res.json();
    nextIndex = body.next;
    for (const m of body.messages) {
      inbox.push(m);
      for (const wake of inboxWaiters.splice(0))
        wake();
    }
  }
}

// The next message of @type; candidates are handled as they come.
async function receive(type) {
  for (;;) {
    const i = inbox.findIndex((m) => m.type === type);
    if (i >= 0)
      return inbox.splice(i, 1)[0];
    await new Promise((resolve) => inboxWaiters.push(resolve));
  }
}

function fail(why) {
  throw new Error(why);
}

async function waitFor(what, predicate, timeoutMs = 20000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value)
      return value;
    if (performance.now() > deadline)
      fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const pc = new RTCPeerConnection({ bundlePolicy: "max-bundle" });
const pendingCandidates = [];
const remoteTracks = [];      // {track, streamId, video}
let localStream = null;

pc.onicecandidate = (e) => {
  if (e.candidate)
    send({ type: "candidate", mline: e.candidate.sdpMLineIndex,
           candidate: e.candidate.candidate });
  else
    send({ type: "candidate", mline: 0, candidate: "" });
};
pc.onconnectionstatechange = () => log("connectionState", pc.connectionState);
pc.ontrack = (e) => {
  const entry = { track: e.track, streamId: e.streams[0] ? e.streams[0].id : "",
                  mid: e.transceiver.mid, video: null };
  if (e.track.kind === "video") {
    const v = document.createElement("video");
    v.muted = true;
    v.autoplay = true;
    v.playsInline = true;
    v.srcObject = new MediaStream([e.track]);
    document.body.appendChild(v);
    entry.video = v;
  }
  remoteTracks.push(entry);
  log("ontrack", e.track.kind, "mid", entry.mid, "stream", entry.streamId);
};

async function candidateLoop() {
  for (;;) {
    const m = await receive("candidate");
    if (!pc.remoteDescription) {
      pendingCandidates.push(m);
      continue;
    }
    await addCandidate(m);
  }
}

async function addCandidate(m) {
  if (!m.candidate)
    return;                 // end of candidates: nothing to do for a browser
  try {
    await pc.addIceCandidate({ candidate: m.candidate, sdpMLineIndex: m.mline });
  } catch (e) {
    log("addIceCandidate failed", m.candidate, e);
  }
}

async function setRemote(desc) {
  await pc.setRemoteDescription(desc);
  for (const m of pendingCandidates.splice(0))
    await addCandidate(m);
}

function preferCodec(transceiver) {
  if (transceiver.receiver.track.kind !== "video")
    return;
  const caps = RTCRtpReceiver.getCapabilities("video").codecs;
  const wanted = caps.filter((c) => c.mimeType === `video/${CODEC}` &&
      (CODEC !== "H264" || /packetization-mode=1/.test(c.sdpFmtpLine || "")));
  if (!wanted.length)
    fail(`this browser cannot receive ${CODEC}`);
  transceiver.setCodecPreferences(wanted);
}

async function getMedia() {
  return navigator.mediaDevices.getUserMedia({
    audio: true, video: { width: 320, height: 240, frameRate: 30 } });
}

// The browser makes every offer while it is the offerer, and answers every
// offer that arrives; renegotiations are serialised by the test.
async function negotiateAsOfferer() {
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  send({ type: "offer", sdp: pc.localDescription.sdp });
  const answer = await receive("answer");
  await setRemote({ type: "answer", sdp: answer.sdp });
  log("answer applied:", pc.getTransceivers().map(
      (t) => `${t.mid}:${t.currentDirection}`).join(" "));
}

async function answerOffer() {
  const offer = await receive("offer");
  await setRemote({ type: "offer", sdp: offer.sdp });
  if (MEDIA && !localStream) {
    localStream = await getMedia();
    for (const t of pc.getTransceivers()) {
      const kind = t.receiver.track.kind;
      const track = localStream.getTracks().find((x) => x.kind === kind);
      if (track && !t.sender.track) {
        await t.sender.replaceTrack(track);
        t.sender.setStreams(localStream);
        t.direction = "sendrecv";
      }
      preferCodec(t);
    }
  }
  await pc.setLocalDescription(await pc.createAnswer());
  send({ type: "answer", sdp: pc.localDescription.sdp });
}

async function inboundStats() {
  const out = { video: [], audio: [] };
  const stats = await pc.getStats();
  const codecs = {};
  stats.forEach((s) => {
    if (s.type === "codec")
      codecs[s.id] = s.mimeType;
  });
  stats.forEach((s) => {
    if (s.type !== "inbound-rtp")
      return;
    const entry = { mid: s.mid, packets: s.packetsReceived || 0,
                    codec: codecs[s.codecId] || "" };
    if (s.kind === "video") {
      entry.framesDecoded = s.framesDecoded || 0;
      out.video.push(entry);
    } else {
      out.audio.push(entry);
    }
  });
  return out;
}

// Every remote video track shows pictures and audio packets arrive.
async function checkMedia(videoTracks) {
  const res = await waitFor(`${videoTracks} decoded video track(s)`, async () => {
    const videos = remoteTracks.filter((t) => t.video);
    if (videos.length < videoTracks)
      return null;
    if (!videos.every((t) => t.video.videoWidth > 0))
      return null;
    const s = await inboundStats();
    const decoding = s.video.filter((v) => v.framesDecoded > 0);
    if (decoding.length < videoTracks)
      return null;
    if (!s.audio.some((a) => a.packets > 0))
      return null;
    return s;
  }, 30000);
  res.videoWidths = remoteTracks.filter((t) => t.video)
      .map((t) => t.video.videoWidth);
  res.streams = remoteTracks.map((t) => t.streamId);
  return res;
}

// Data channels: the browser opens one and echoes on the one the other
// side opens; it sends a string, bytes and a 64 KiB message and expects
// each back unchanged.
function setupEcho() {
  pc.ondatachannel = (e) => {
    const ch = e.channel;
    ch.binaryType = "arraybuffer";
    log("ondatachannel", ch.label, ch.id);
    ch.onmessage = (m) => ch.send(m.data);
  };
}

function bytesEqual(a, b) {
  if (a.byteLength !== b.byteLength)
    return false;
  const x = new Uint8Array(a), y = new Uint8Array(b);
  for (let i = 0; i < x.length; i++)
    if (x[i] !== y[i])
      return false;
  return true;
}

async function runEcho(ch) {
  await waitFor("the browser's channel to open", () => ch.readyState === "open");
  const received = [];
  let wake = null;
  ch.onmessage = (m) => {
    received.push(m.data);
    if (wake)
      wake();
  };
  const next = async () => {
    const deadline = performance.now() + 20000;
    while (!received.length) {
      if (performance.now() > deadline)
        fail("no echo on the browser's channel");
      await new Promise((r) => { wake = r; setTimeout(r, 200); });
    }
    return received.shift();
  };
  const bin = new Uint8Array(256).map((_, i) => i);
  const large = new Uint8Array(LARGE).map((_, i) => (i * 7) & 0xff);
  ch.send("hello from the browser");
  if ((await next()) !== "hello from the browser")
    fail("string echo differs");
  ch.send(bin);
  if (!bytesEqual(await next(), bin.buffer))
    fail("binary echo differs");
  ch.send(large);
  const back = await next();
  if (!bytesEqual(back, large.buffer))
    fail(`64 KiB echo differs (${back.byteLength} bytes back)`);
  return { echoed: [22, 256, LARGE] };
}

async function main() {
  pollLoop();
  candidateLoop();
  const result = { type: "result", ok: false };
  if (MEDIA && !RTCRtpReceiver.getCapabilities("video").codecs.some(
      (c) => c.mimeType === `video/${CODEC}`)) {
    await send({ type: "result", ok: false,
                 skip: `this Chromium cannot receive ${CODEC}` });
    return;
  }
  try {
    if (DC)
      setupEcho();
    let ch = null;
    if (ROLE === "offerer") {
      if (MEDIA) {
        localStream = await getMedia();
        for (const track of localStream.getTracks())
          pc.addTrack(track, localStream);
        pc.getTransceivers().forEach(preferCodec);
      }
      if (DC)
        ch = pc.createDataChannel("from-browser");
      await negotiateAsOfferer();
    } else {
      // opened before the offer arrives: it rides on the offer's
      // m=application section
      if (DC)
        ch = pc.createDataChannel("from-browser");
      await answerOffer();
    }
    if (ch)
      ch.binaryType = "arraybuffer";
    await waitFor("connectionState connected",
        () => pc.connectionState === "connected");
    if (MEDIA)
      result.media = await checkMedia(1);
    if (DC)
      result.dc = await runEcho(ch);
    if (RENEG)
      result.reneg = await renegotiate();
    if (RESTART)
      result.restart = await iceRestart();
    result.ok = true;
  } catch (e) {
    result.error = String(e && e.stack ? e.stack : e);
  }
  result.connectionState = pc.connectionState;
  await send(result);
  // the other side may still renegotiate or close; answer until done
  await receive("done");
}

// After the call is up: the browser adds a second camera track in a new
// stream and offers it; then the other side adds one and offers; the page
// checks that it decodes pictures on all its remote video tracks.
async function renegotiate() {
  await receive("add-track");
  const extra = await navigator.mediaDevices.getUserMedia({
    video: { width: 160, height: 120, frameRate: 15 } });
  const tr = pc.addTransceiver(extra.getVideoTracks()[0],
      { direction: "sendonly", streams: [extra] });
  preferCodec(tr);
  await negotiateAsOfferer();
  send({ type: "track-added", stream: extra.id });
  await answerOffer();
  const media = await checkMedia(2);
  return { media };
}

main();

// ICE restarts on the running call, each way: the ufrags of both
// descriptions change, the connection never goes back to connecting
// (DTLS is not redone) and audio keeps arriving after each.
async function iceRestart() {
  const ufrags = () => [pc.localDescription.sdp, pc.remoteDescription.sdp]
      .map((sdp) => /a=ice-ufrag:(\S+)/.exec(sdp)[1]);
  const audioPackets = async () => (await inboundStats()).audio
      .reduce((n, a) => n + a.packets, 0);
  const states = [];
  pc.addEventListener("connectionstatechange",
      () => states.push(pc.connectionState));
  const check = async (who, before) => {
    const now = ufrags();
    if (now[0] === before[0] || now[1] === before[1])
      fail(`${who}'s ICE restart kept a ufrag: ${before} then ${now}`);
    await waitFor(`ICE connected after ${who}'s restart`, () =>
        ["connected", "completed"].includes(pc.iceConnectionState));
    const packets = await audioPackets();
    await waitFor(`audio after ${who}'s restart`, async () =>
        (await audioPackets()) > packets + 50);
    return now;
  };
  const first = ufrags();
  pc.restartIce();
  await negotiateAsOfferer();
  const second = await check("the browser", first);
  send({ type: "restart-ice" });
  await answerOffer();
  const third = await check("rtcpeerbin", second);
  if (states.some((s) => s !== "connected"))
    fail(`connectionState went through ${states} during the restarts`);
  return { ufrags: [first, second, third], states };
}
