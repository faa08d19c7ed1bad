# shellcheck shell=sh
# Removes reports of earlier runs' change units once this run has reported them (dev.ntpdeploy.engine.HostApplier).
# Arguments: STATE (the state directory), then the report file names (NAME.done, checked by the controller).
# Sections: end.
state=$1
shift
cd -- "$state" && rm -f -- "$@"
sec end
