# network namespace and veths of c0ffee000000
ip -b - <<'MINIDOCK_EOF'
netns add minidock-<inst>-c0ffee000000
link add mdc0ffee000<net0:4> type veth peer name eth0 address 02:42:0a:58:00:02 netns minidock-<inst>-c0ffee000000
link set mdc0ffee000<net0:4> alias minidock:<inst>:ctr:c0ffee0000000000000000000000000000000000000000000000000000000000:net:<net0>
link set mdc0ffee000<net0:4> master mdbr-<net0:10>
link set mdc0ffee000<net0:4> type bridge_slave hairpin on
link set mdc0ffee000<net0:4> up
MINIDOCK_EOF
# addresses and routes inside c0ffee000000
ip -n minidock-<inst>-c0ffee000000 -b - <<'MINIDOCK_EOF'
link set lo up
addr add 10.88.0.2/24 dev eth0
link set eth0 up
route add default via 10.88.0.1 dev eth0
MINIDOCK_EOF
# names on network app, read by its dnsmasq
cat > <root>/run/dns-<inst>/<net0:12>.hosts <<'MINIDOCK_EOF'
10.88.0.2	web www c0ffee000000 web.app
MINIDOCK_EOF
# DNS for network app on 10.88.0.1:53
dnsmasq --conf-file=/dev/null --pid-file=<root>/run/dns-<inst>/<net0:12>.pid --listen-address=10.88.0.1 --bind-interfaces --no-hosts --addn-hosts=<root>/run/dns-<inst>/<net0:12>.hosts --no-resolv --domain-needed --no-negcache --local-ttl=0 --server=<host resolver>
# veths and netns of a stopped container
ip -force -b - <<'MINIDOCK_EOF'
link del mdc0ffee000<net0:4>
netns del minidock-<inst>-c0ffee000000
MINIDOCK_EOF
# the network's DNS names
rm -rf <root>/run/dns-<inst>/<net0:12>.hosts
# the network's dnsmasq pid file
rm -rf <root>/run/dns-<inst>/<net0:12>.pid
