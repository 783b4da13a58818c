#!/bin/sh
# Installs what is needed, builds, and opens the window on the demo group.
#   ./scripts/run-demo.sh            (the demo database lives in $XDG_DATA_HOME/treasury/demo.db)
#
# It also starts the bank simulator (treasury-banksim) on 127.0.0.1 with test certificates made
# by the openssl CLI in the demo folder (never in the repository), connects the demo's ICBC, CCB
# and CMB to it over HTTPS and BOC through the simulator's file gateway (a folder channel: the
# pain.001 goes to an outbox the simulated bank polls), and on the first run makes three users (a maker and two approvers, their
# passphrases in "$data/demo-passphrases.txt", mode 0600) and an approval policy. The simulator
# stops when the window closes. Without the simulator the window still opens.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
./scripts/install-deps.sh
[ -d build ] || meson setup build --buildtype=debugoptimized
ninja -C build
data="${XDG_DATA_HOME:-$HOME/.local/share}/treasury"
db="$data/demo.db"
mkdir -p "$data"
if [ ! -f "$db" ]; then
  ./build/app/treasury --db "$db" demo
fi
export TREASURY_LOCALEDIR="$root/build/po"
export GSETTINGS_SCHEMA_DIR="$root/build/resources"

treasury() { ./build/app/treasury --db "$db" "$@"; }
warn() { echo "run-demo: $*" >&2; }

# ---- Users and policy (first run only) ---------------------------------------------------------
secrets="$data/demo-passphrases.txt"
if [ ! -f "$data/.demo-users" ]; then
  umask 077
  : > "$secrets"
  chmod 600 "$secrets"
  for spec in "王芳:maker" "李强:approver" "张伟:approver,admin"; do
    name=${spec%%:*}
    role=${spec#*:}
    pass=$(openssl rand -hex 12)
    if printf '%s\n' "$pass" | treasury user add "$name" --role "$role" --passphrase-fd 0 >/dev/null; then
      printf '%s\t%s\t%s\n' "$name" "$role" "$pass" >> "$secrets"
    else
      warn "could not add the user $name"
    fi
  done
  umask 022
  # Up to 1,000,000.00 one approval; above, two (each unit of the group).
  for org in $(treasury org list | awk '{print $1}'); do
    treasury policy set "$org" --up-to 1000000 CNY --approvals 1 --user 张伟 >/dev/null || warn "no policy for $org"
    treasury policy set "$org" --up-to 1000000000 CNY --approvals 2 --user 张伟 >/dev/null || warn "no policy for $org"
  done
  # Work waiting in the approvers' inbox: a November payroll batch (代发工资) and a supplier
  # payment above 1,000,000.00 (two approvals), made and submitted by 王芳.
  day=$(date -d '+2 days' +%Y-%m-%d 2>/dev/null || date +%Y-%m-%d)
  payroll="$data/demo-payroll.csv"
  {
    echo "付款账号,收款人,收款账号,收款银行,金额,币种,日期,附言"
    echo "0200001209000123456,李明,6222020200112233445,中国工商银行北京分行,18500.00,CNY,$day,11月工资"
    echo "0200001209000123456,王丽,6217000010001234567,中国建设银行北京分行,16200.50,CNY,$day,11月工资"
    echo "0200001209000123456,赵刚,6214830100012345,招商银行北京分行,21340.00,CNY,$day,11月工资"
    echo "0200001209000123456,孙悦,6228480010012345678,中国农业银行北京分行,14875.25,CNY,$day,11月工资"
    echo "0200001209000123456,周杰,6013820000123456789,中国银行北京分行,19960.00,CNY,$day,11月工资"
  } > "$payroll"
  # "Batch N: 5 payments" (in any language the batch number comes first)
  if batch=$(LC_ALL=C.UTF-8 LANGUAGE= treasury pay import "$payroll" --kind payroll --user 王芳 \
        | sed -n '1s/[^0-9]*\([0-9][0-9]*\).*/\1/p') && [ -n "$batch" ]; then
    treasury pay submit --batch "$batch" --user 王芳 >/dev/null || warn "could not submit the payroll batch"
  else
    warn "could not import the demo payroll batch"
  fi
  if id=$(treasury pay new --from 0200001209000123456 --to-name 北京中关村科技发展有限公司 \
        --to-account 0200004509011223344 --to-bic ICBKCNBJ --amount 1520000.00 --currency CNY \
        --date "$day" --text "合同 HT-2026-118 尾款" --user 王芳); then
    treasury pay submit "$id" --user 王芳 >/dev/null || warn "could not submit the demo payment"
  else
    warn "could not make the demo payment"
  fi
  touch "$data/.demo-users"
fi
if [ -f "$secrets" ]; then
  echo "Demo users (passphrases also in $secrets):"
  sed 's/^/  /' "$secrets"
fi

# ---- The bank simulator ------------------------------------------------------------------------
sim_pid=""
sshd_pid=""
stop_sim() {
  for pid in "$sim_pid" "$sshd_pid"; do
    if [ -n "$pid" ]; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  sim_pid=""
  sshd_pid=""
}
trap stop_sim EXIT INT TERM

# CMB is reached over SFTP when OpenSSH's server is installed: an sshd of the demo's own on
# 127.0.0.1 (its keys in "$data/sftp", the host key pinned in a known_hosts file) serving the
# folder of the simulated bank's file gateway. Sets sftp_url; fails otherwise.
start_sftp() {
  sshd=/usr/sbin/sshd
  dir="$data/sftp"
  [ -x "$sshd" ] && command -v ssh-keygen >/dev/null || return 1
  mkdir -p "$dir" && chmod 700 "$dir"
  for k in host_key client_key; do
    [ -f "$dir/$k" ] || ssh-keygen -q -t ed25519 -N '' -C "treasury demo $k" -f "$dir/$k" >/dev/null 2>&1 || return 1
  done
  cp "$dir/client_key.pub" "$dir/authorized_keys"
  if [ "$(id -u)" = 0 ]; then
    mkdir -p /run/sshd 2>/dev/null || return 1
    pam=no
  else
    pam=yes
  fi
  port=22022
  while [ $port -lt 22042 ]; do
    cat > "$dir/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $port
HostKey $dir/host_key
AuthorizedKeysFile $dir/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
Subsystem sftp internal-sftp
PidFile $dir/sshd.pid
StrictModes no
UsePAM $pam
CONF
    "$sshd" -D -e -f "$dir/sshd_config" > "$dir/sshd.log" 2>&1 &
    sshd_pid=$!
    i=0
    while [ $i -lt 30 ]; do
      grep -q "Server listening" "$dir/sshd.log" 2>/dev/null && break
      kill -0 "$sshd_pid" 2>/dev/null || break
      sleep 0.1
      i=$((i + 1))
    done
    if grep -q "Server listening" "$dir/sshd.log" 2>/dev/null; then
      printf '[127.0.0.1]:%s %s\n' "$port" "$(cat "$dir/host_key.pub")" > "$dir/known_hosts"
      sftp_url="sftp://$(id -un)@127.0.0.1:$port$data/banksim-sftp"
      return 0
    fi
    kill "$sshd_pid" 2>/dev/null || true
    wait "$sshd_pid" 2>/dev/null || true
    sshd_pid=""
    port=$((port + 1))
  done
  return 1
}

start_sim() {
  banksim="$root/build/banks/sim/treasury-banksim"
  certs="$data/banksim-certs"
  [ -x "$banksim" ] || { warn "treasury-banksim is not built"; return 1; }
  command -v openssl >/dev/null || { warn "openssl is missing"; return 1; }
  if [ ! -f "$certs/client.pem" ]; then
    mkdir -p "$certs"
    chmod 700 "$certs"
    (
      cd "$certs"
      openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key
      openssl req -x509 -new -key ca.key -subj "/CN=Treasury Desk demo bank CA" -days 3650 -out ca.pem \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
      printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' > server.ext
      printf 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n' > client.ext
      for leaf in server:127.0.0.1 client:"Treasury Desk demo client"; do
        name=${leaf%%:*}
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$name.key"
        openssl req -new -key "$name.key" -subj "/CN=${leaf#*:}" -out "$name.csr"
        openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 \
          -out "$name.pem" -extfile "$name.ext"
      done
      chmod 600 ./*.key
    ) >/dev/null 2>&1 || { warn "could not make the test certificates"; return 1; }
  fi
  xsd="${TSY_CORPUS_DIR:-$(./scripts/corpus-dir.sh)}/xsd"
  set -- --listen=127.0.0.1:0 --state="$data/banksim-state" --cert="$certs/server.pem" \
    --key="$certs/server.key" --client-ca="$certs/ca.pem" --share="$data/banksim-share" \
    --share="$data/banksim-sftp" --quiet
  [ -d "$xsd" ] && set -- "$@" --xsd-dir="$xsd"
  # Every demo account of ICBC, CCB, CMB and BOC at the simulated bank, with money to pay from.
  for acct in $(treasury account list | awk '$4 == "ICBC" || $4 == "CCB" || $4 == "CMB" || $4 == "BOC" { print $1 ":" $2 ":" $4 }'); do
    number=${acct%%:*}; rest=${acct#*:}; ccy=${rest%%:*}; bank=${rest#*:}
    case $bank in ICBC) bic=ICBKCNBJ ;; CCB) bic=PCBCCNBJ ;; BOC) bic=BKCHCNBJ ;; *) bic=CMBCCNBS ;; esac
    set -- "$@" --account="$number:$ccy:50000000.00:$bic"
  done
  log="$data/banksim.log"
  "$banksim" "$@" > "$log" 2>&1 &
  sim_pid=$!
  url=""
  i=0
  while [ $i -lt 100 ] && [ -z "$url" ]; do
    kill -0 "$sim_pid" 2>/dev/null || break
    url=$(sed -n 's/^listening on \(https:[^ ]*\).*/\1/p' "$log" | head -n 1)
    [ -n "$url" ] || sleep 0.1
    i=$((i + 1))
  done
  if [ -z "$url" ]; then
    warn "the bank simulator did not start (see $log)"
    stop_sim
    return 1
  fi
  url=${url%/}
  https_banks="ICBC CCB"
  sftp_url=""
  if start_sftp &&
     treasury bank connect CMB --kind sftp --url "$sftp_url" --key "$data/sftp/client_key" \
       --ca "$data/sftp/known_hosts" --user 张伟 >/dev/null; then
    via="$sftp_url (CMB)"
  else
    [ -n "$sshd_pid" ] && { kill "$sshd_pid" 2>/dev/null; wait "$sshd_pid" 2>/dev/null; sshd_pid=""; }
    https_banks="ICBC CCB CMB"
    via=""
  fi
  for bank in $https_banks; do
    treasury bank connect "$bank" --kind https --url "$url" --cert "$certs/client.pem" \
      --key "$certs/client.key" --ca "$certs/ca.pem" --user 张伟 >/dev/null \
      || warn "could not connect $bank to the simulator"
  done
  treasury bank connect BOC --kind folder --url "$data/banksim-share" --user 张伟 >/dev/null \
    || warn "could not connect BOC to the simulator's folder"
  echo "Bank simulator on $url ($https_banks), $data/banksim-share (BOC)${via:+ and $via}; it stops when the window closes."
}
start_sim || warn "continuing without the bank simulator"

./build/app/treasury --db "$db"
