#!/bin/sh
# Installs the Debian 12 packages of scripts/deps.txt (as root, or through sudo).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pkgs=$(grep -v '^#' "$here/deps.txt" | tr '\n' ' ')
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
echo "Installing:$missing"
$SUDO apt-get update -q
# openssh-server is a test fixture only (test-sftp runs its own sshd on 127.0.0.1): installing
# it must not start the system's SSH service (in a container without an init system that start
# would fail the installation). Where there is no policy-rc.d, one refusing every start is in
# place while apt runs.
policy=/usr/sbin/policy-rc.d
made_policy=""
if [ ! -e "$policy" ] && case " $missing " in *" openssh-server "*) true ;; *) false ;; esac; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 755 "$policy"
  made_policy=1
fi
trap 'if [ -n "$made_policy" ]; then $SUDO rm -f "$policy"; fi' EXIT
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
case " $missing " in
  *" openssh-server "*)
    # ... nor start it at the next boot.
    if [ -d /run/systemd/system ]; then
      $SUDO systemctl disable --quiet ssh.service ssh.socket 2>/dev/null || true
      echo "openssh-server is installed for the tests only; its system service stays disabled"
    fi
    ;;
esac
