#!/usr/bin/python3
# rtcpeer example: DTMF between two rtcpeerbins in one process.
#
# Alice and Bob send each other Opus audio. Alice sends the tones "1234#"
# with insert-dtmf; her on-tone-change reports each tone as it starts and
# "" at the end, Bob's on-dtmf-received each tone as it ends. Exits 0 when
# Bob heard exactly "1234#" and Alice's tone changes were 1, 2, 3, 4, #, "";
# 1 otherwise.
#
#   GST_PLUGIN_PATH=build/gst/rtcpeer /usr/bin/python3 examples/dtmf.py

import sys
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, Gst, GstWebRTC  # noqa: E402,F401

AUDIO = ("audiotestsrc is-live=true wave=sine ! opusenc ! "
         "rtpopuspay pt=111 ! queue")
TONES = "1234#"


def call(pc, signal, *args, field=None, timeout_s=10):
    """An action signal that answers a promise, waited for (from our own
    thread, never from a handler of the element)."""
    answered = threading.Event()
    promise = Gst.Promise.new_with_change_func(lambda p: answered.set())
    pc.emit(signal, *args, promise)
    if not answered.wait(timeout_s):
        promise.interrupt()
        raise RuntimeError(f"{signal}: no reply in {timeout_s} s")
    reply = promise.get_reply()
    if reply is not None and reply.has_field("error"):
        raise RuntimeError(f"{signal}: {reply.get_value('error').message}")
    return reply.get_value(field).copy() if field else reply


def make_peer(name, pipeline):
    pc = Gst.ElementFactory.make("rtcpeerbin", name)
    if pc is None:
        raise RuntimeError("no rtcpeerbin: set GST_PLUGIN_PATH")
    pc.set_property("ice-addresses", "127.0.0.1")
    pipeline.add(pc)
    src = Gst.parse_bin_from_description(AUDIO, True)
    pipeline.add(src)
    src.link(pc)  # requests sink_0

    def on_pad_added(pc, pad):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        sink = Gst.parse_bin_from_description(
            "rtpopusdepay ! opusdec ! fakesink", True)
        pipeline.add(sink)
        sink.sync_state_with_parent()
        pad.link(sink.get_static_pad("sink"))

    pc.connect("pad-added", on_pad_added)
    return pc


def main():
    Gst.init(None)
    pipeline = Gst.Pipeline.new()
    alice = make_peer("alice", pipeline)
    bob = make_peer("bob", pipeline)
    alice.connect("on-ice-candidate",
                  lambda pc, m, c: bob.emit("add-ice-candidate", m, c))
    bob.connect("on-ice-candidate",
                lambda pc, m, c: alice.emit("add-ice-candidate", m, c))

    done = threading.Event()
    changes, heard = [], []

    def on_tone_change(pc, pad, tone):
        # the sink pad the tones went out on; "" after the last one
        print(f"alice: {pad.get_name()} plays {tone!r}")
        changes.append(tone)

    def on_dtmf_received(pc, pad, tone, duration):
        # the src pad of the audio track the tone came with
        print(f"bob: {pad.get_name()} heard {tone} for {duration} ms")
        heard.append(tone)
        if "".join(heard) == TONES:
            done.set()

    alice.connect("on-tone-change", on_tone_change)
    bob.connect("on-dtmf-received", on_dtmf_received)

    pipeline.set_state(Gst.State.PLAYING)
    ok = False
    try:
        # offer once the payloader's caps are on the sink pad
        sink_pad = alice.get_static_pad("sink_0")
        for _ in range(100):
            if sink_pad.get_current_caps():
                break
            GLib.usleep(50000)
        offer = call(alice, "create-offer", None, field="offer")
        call(alice, "set-local-description", offer)
        call(bob, "set-remote-description", offer)
        answer = call(bob, "create-answer", None, field="answer")
        call(bob, "set-local-description", answer)
        call(alice, "set-remote-description", answer)

        # Not a tone: refused, nothing queued.
        assert not alice.emit("insert-dtmf", sink_pad, "12E", 100, 70)
        # 100 ms per tone, 70 ms between tones
        queued = alice.emit("insert-dtmf", sink_pad, TONES, 100, 70)
        ok = queued and done.wait(20)
        # the "" after the last tone's gap
        for _ in range(40):
            if changes and changes[-1] == "":
                break
            GLib.usleep(50000)
        ok = ok and changes == list(TONES) + [""]
    except RuntimeError as e:
        print(f"FAILED: {e}")
    finally:
        pipeline.set_state(Gst.State.NULL)
    print("OK" if ok else f"FAILED: heard {heard}, tone changes {changes}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
