# bench/lib/ng-statistics.awk - the figures bench/media takes from rtpengine's ng "statistics" reply (one datagram:
# "<cookie> <bencoded dictionary>", on stdin). Keys are matched with their bencode length prefix, so "15:managedsessions"
# is not found inside "18:maxmanagedsessions". Prints one line:
#
#   managed own offers answers deletes relayed
#
# sessions ended (deleted) since rtpengine started (totalstatistics), sessions open now (currentstatistics), the
# offer, answer and delete commands received (controlstatistics, summed over the proxies that sent them), and the
# RTP/RTCP packets relayed since it started (totalstatistics); "-" for each when the input holds no reply.
function first(key,   re) {
  re = key "i-?[0-9]+e"
  if (!match(all, re)) return "-"
  return substr(all, RSTART + length(key) + 1, RLENGTH - length(key) - 2) + 0
}
function total(key,   rest, s, found) {
  rest = all; s = 0; found = 0
  while (match(rest, key "i-?[0-9]+e")) {
    s += substr(rest, RSTART + length(key) + 1, RLENGTH - length(key) - 2); found = 1
    rest = substr(rest, RSTART + RLENGTH)
  }
  return found ? s : "-"
}
{ all = all $0 }
END {
  print first("15:managedsessions"), first("11:sessionsown"), total("10:offercount"), total("11:answercount"),
    total("11:deletecount"), first("14:relayedpackets")
}
