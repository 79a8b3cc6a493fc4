# find the subnets the host already uses
ip -j -4 route show
# find the subnets the host already uses
ip -j -4 addr show
# find the subnets the host already uses
ip -j -4 route show
# find the subnets the host already uses
ip -j -4 addr show
# bridge md0-<inst> for network bridge
ip -b - <<'MINIDOCK_EOF'
link add md0-<inst> address <mac> type bridge
link set md0-<inst> alias minidock:<inst>:net:<net0>
addr add 172.17.0.1/16 dev md0-<inst>
link set md0-<inst> up
MINIDOCK_EOF
# publish ports on 127.0.0.1 without a userland proxy
echo 1 > /proc/sys/net/ipv4/conf/md0-<inst>/route_localnet
# find our firewall rules by their tags
nft -j -a list table ip minidock-<inst>
# firewall rules for network bridge
nft -f - <<'MINIDOCK_EOF'
add table ip minidock-<inst>
add chain ip minidock-<inst> prerouting { type nat hook prerouting priority -100; policy accept; }
add chain ip minidock-<inst> output { type nat hook output priority -100; policy accept; }
add chain ip minidock-<inst> postrouting { type nat hook postrouting priority 100; policy accept; }
add chain ip minidock-<inst> forward { type filter hook forward priority 0; policy accept; }
add chain ip minidock-<inst> input { type filter hook input priority 0; policy accept; }
add chain ip minidock-<inst> isolate { }
add rule ip minidock-<inst> postrouting ip saddr 172.17.0.0/16 oifname != "md0-<inst>" masquerade comment "minidock:net:<net0>"
add rule ip minidock-<inst> postrouting ip saddr 172.17.0.0/16 oifname "md0-<inst>" ct status dnat masquerade comment "minidock:net:<net0>"
add rule ip minidock-<inst> postrouting ip saddr 127.0.0.0/8 oifname "md0-<inst>" masquerade comment "minidock:net:<net0>"
add rule ip minidock-<inst> forward iifname "md0-<inst>" oifname != "md0-<inst>" ct status != dnat jump isolate comment "minidock:net:<net0>"
add rule ip minidock-<inst> isolate oifname "md0-<inst>" drop comment "minidock:net:<net0>"
MINIDOCK_EOF
# containers on a bridge network reach the outside through NAT (docker does the same)
echo 1 > /proc/sys/net/ipv4/ip_forward
# check whether another firewall drops forwarded traffic
nft -j list chains
# network namespace and veths of c0ffee000000
ip -b - <<'MINIDOCK_EOF'
netns add minidock-<inst>-c0ffee000000
link add mdc0ffee000<net0:4> type veth peer name eth0 address 02:42:ac:11:00:02 netns minidock-<inst>-c0ffee000000
link set mdc0ffee000<net0:4> alias minidock:<inst>:ctr:c0ffee0000000000000000000000000000000000000000000000000000000000:net:<net0>
link set mdc0ffee000<net0:4> master md0-<inst>
link set mdc0ffee000<net0:4> type bridge_slave hairpin on
link set mdc0ffee000<net0:4> up
MINIDOCK_EOF
# addresses and routes inside c0ffee000000
ip -n minidock-<inst>-c0ffee000000 -b - <<'MINIDOCK_EOF'
link set lo up
addr add 172.17.0.2/16 dev eth0
link set eth0 up
route add default via 172.17.0.1 dev eth0
MINIDOCK_EOF
# published ports of c0ffee000000
nft -f - <<'MINIDOCK_EOF'
add table ip minidock-<inst>
add chain ip minidock-<inst> prerouting { type nat hook prerouting priority -100; policy accept; }
add chain ip minidock-<inst> output { type nat hook output priority -100; policy accept; }
add chain ip minidock-<inst> postrouting { type nat hook postrouting priority 100; policy accept; }
add chain ip minidock-<inst> forward { type filter hook forward priority 0; policy accept; }
add chain ip minidock-<inst> input { type filter hook input priority 0; policy accept; }
add chain ip minidock-<inst> isolate { }
add rule ip minidock-<inst> prerouting fib daddr type local tcp dport 18080 dnat to 172.17.0.2:80 comment "minidock:ctr:c0ffee0000000000000000000000000000000000000000000000000000000000"
add rule ip minidock-<inst> output fib daddr type local tcp dport 18080 dnat to 172.17.0.2:80 comment "minidock:ctr:c0ffee0000000000000000000000000000000000000000000000000000000000"
MINIDOCK_EOF
# veths and netns of a stopped container
ip -force -b - <<'MINIDOCK_EOF'
link del mdc0ffee000<net0:4>
netns del minidock-<inst>-c0ffee000000
MINIDOCK_EOF
# find our firewall rules by their tags
nft -j -a list table ip minidock-<inst>
