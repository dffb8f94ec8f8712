#!/usr/bin/python3
"""Modbus slave simulator for the gateway's tests, built on pymodbus (Debian python3-pymodbus).

Serves one or more unit ids over Modbus TCP, RTU framing over TCP, or RTU on a serial port, with
register contents from a JSON spec. Commands arrive one per line on stdin and are answered with
"OK" (or "ERR <why>") on stdout once applied, so a test can script status changes and faults:

  set UNIT TABLE ADDRESS V1 [V2 ...]   TABLE is hr, ir, co or di
  delay UNIT MS                       answer that unit MS milliseconds late (0 = on time)
  mute UNIT / unmute UNIT             stop / resume answering that unit at all
  wrongunit UNIT OTHER                answer that unit's requests with unit id OTHER (0 = off)
  short UNIT 1|0                      answer register reads with one register too few
  badcrc UNIT 1|0                     corrupt the CRC of that unit's answers (RTU framing only)
  drop                                close every client connection (TCP only)

Prints "READY" once it serves. Registers are sparse: reading an address not in the spec gets
exception 2 (illegal data address), as real devices do for holes in their map.
"""
import argparse
import asyncio
import json
import sys
import threading

from pymodbus.datastore import ModbusServerContext, ModbusSlaveContext, ModbusSparseDataBlock
from pymodbus.framer.rtu_framer import ModbusRtuFramer
from pymodbus.framer.socket_framer import ModbusSocketFramer
from pymodbus.server.async_io import (
    ModbusConnectedRequestHandler,
    ModbusSerialServer,
    ModbusSingleRequestHandler,
    ModbusTcpServer,
)

DELAYS = {}
WRONG_UNIT = {}
SHORT = set()
BAD_CRC = set()
MUTED = {}


def delayed_send(base):
    class Handler(base):
        def send(self, message, *addr, **kwargs):
            delay = DELAYS.get(getattr(message, "unit_id", None), 0)
            if delay:
                asyncio.get_event_loop().call_later(delay, lambda: base.send(self, message, *addr, **kwargs))
            else:
                base.send(self, message, *addr, **kwargs)
    return Handler


def manipulate(response):
    unit = response.unit_id
    if unit in SHORT and getattr(response, "registers", None):
        response.registers = response.registers[:-1]
    if WRONG_UNIT.get(unit):
        response.unit_id = WRONG_UNIT[unit]
    if unit in BAD_CRC:
        packet = bytearray(ModbusRtuFramer(None).buildPacket(response))
        packet[-1] ^= 0xFF
        return bytes(packet), True
    return response, False


def block(spec):
    values = {int(k, 0): v for k, v in spec.items()}
    return ModbusSparseDataBlock(values if values else {0: 0})


def build_context(spec):
    slaves = {}
    for unit, tables in spec["units"].items():
        slaves[int(unit)] = ModbusSlaveContext(
            hr=block(tables.get("hr", {})), ir=block(tables.get("ir", {})),
            co=block(tables.get("co", {})), di=block(tables.get("di", {})), zero_mode=True)
    return ModbusServerContext(slaves=slaves, single=False)


FC = {"hr": 3, "ir": 4, "co": 1, "di": 2}


def apply(server, context, words):
    cmd = words[0]
    if cmd == "set":
        unit, table, address = int(words[1]), words[2], int(words[3], 0)
        values = [int(v, 0) for v in words[4:]]
        target = MUTED.get(unit) or context[unit]
        target.setValues(FC[table], address, values)
    elif cmd == "delay":
        DELAYS[int(words[1])] = int(words[2]) / 1000.0
    elif cmd == "mute":
        unit = int(words[1])
        MUTED[unit] = context[unit]
        del context[unit]
    elif cmd == "unmute":
        unit = int(words[1])
        context[unit] = MUTED.pop(unit)
    elif cmd == "wrongunit":
        WRONG_UNIT[int(words[1])] = int(words[2])
    elif cmd == "short":
        (SHORT.add if words[2] == "1" else SHORT.discard)(int(words[1]))
    elif cmd == "badcrc":
        (BAD_CRC.add if words[2] == "1" else BAD_CRC.discard)(int(words[1]))
    elif cmd == "drop":
        for handler in list(getattr(server, "active_connections", {}).values()):
            handler.transport.close()
    else:
        raise ValueError("unknown command " + cmd)


def read_commands(loop, server, context):
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        future = asyncio.run_coroutine_threadsafe(run_command(server, context, words), loop)
        try:
            future.result()
            print("OK", flush=True)
        except Exception as exc:  # report and keep serving
            print("ERR " + str(exc), flush=True)
    loop.call_soon_threadsafe(loop.stop)


async def run_command(server, context, words):
    apply(server, context, words)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--spec", required=True)
    parser.add_argument("--framer", choices=["socket", "rtu"], default="socket")
    parser.add_argument("--tcp-port", type=int)
    parser.add_argument("--serial")
    parser.add_argument("--baudrate", type=int, default=9600)
    args = parser.parse_args()
    with open(args.spec) as f:
        context = build_context(json.load(f))
    loop = asyncio.get_running_loop()
    framer = ModbusRtuFramer if args.framer == "rtu" else ModbusSocketFramer
    if args.serial:
        server = ModbusSerialServer(context, framer=ModbusRtuFramer, port=args.serial, baudrate=args.baudrate,
                                    handler=delayed_send(ModbusSingleRequestHandler),
                                    ignore_missing_slaves=True, response_manipulator=manipulate)
        await server.start()
    else:
        server = ModbusTcpServer(context, framer=framer, address=("127.0.0.1", args.tcp_port),
                                 handler=delayed_send(ModbusConnectedRequestHandler), allow_reuse_address=True,
                                 ignore_missing_slaves=True, response_manipulator=manipulate)
        asyncio.create_task(server.serve_forever())
        await server.serving
    print("READY", flush=True)
    threading.Thread(target=read_commands, args=(loop, server, context), daemon=True).start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        # The test-peer probe: the imports above passed; the serial server also needs these at start.
        import serial  # noqa: F401
        import serial_asyncio  # noqa: F401
        print("OK")
        sys.exit(0)
    try:
        asyncio.run(main())
    except (KeyboardInterrupt, RuntimeError):
        pass
