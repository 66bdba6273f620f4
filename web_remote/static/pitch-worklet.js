/* The phone's pitch tracker on the audio thread (an AudioWorklet module, loaded by listen.js
   only when the singer lets their phone listen). Each frame goes to the page as
   [contextTime, midi]: the audio context's time of the middle of what was analysed. Posted
   every ~50 ms with the context's time then (the page maps context time to its own clock by
   them); the samples themselves stay here. */
import "./pitchtrack.js";

class KbPitchProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.tracker = new globalThis.KbPitch.Tracker(sampleRate, 0.01);
    this.pending = [];
    this.postedAt = 0;
  }

  process(inputs) {
    const input = inputs[0] && inputs[0][0];
    if (input) {
      const start = currentTime, tracker = this.tracker;
      for (const frame of tracker.push(input)) {
        this.pending.push([start + (frame.index + 1) / sampleRate - tracker.centreS, frame.midi]);
      }
    }
    if (this.pending.length && currentTime - this.postedAt >= 0.05) {
      this.port.postMessage({ time: currentTime, frames: this.pending });
      this.pending = [];
      this.postedAt = currentTime;
    }
    return true;
  }
}

registerProcessor("kb-pitch", KbPitchProcessor);
