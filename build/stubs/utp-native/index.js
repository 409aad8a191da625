// Haul's stand-in for utp-native (see package.json): no exports, so WebTorrent's check for uTP
// support finds none and it keeps to TCP.
module.exports = {};
