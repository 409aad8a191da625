// Haul's stand-in for webrtc-polyfill (see package.json): the names simple-peer imports, none
// of them usable. Haul never asks for WebRTC peers (no WebSocket trackers, no WebRTC option),
// so these throw only if that changes, and say why.
class NoWebRtc {
  constructor() {
    throw new Error('WebRTC peers are not part of Haul: it speaks BitTorrent over TCP only.');
  }
}
export class RTCPeerConnection extends NoWebRtc {}
export class RTCSessionDescription extends NoWebRtc {}
export class RTCIceCandidate extends NoWebRtc {}
export default { RTCPeerConnection, RTCSessionDescription, RTCIceCandidate };
