"""mid as WS-Management clients use it: python3-winrm's transport sending messages shaped
as WinRM and omicli send them (Microsoft headers, OptionSet, Locale, mustUnderstand), the
association filter of DSP0227 with Pull and Release, and bad input, each answered with the
right SOAP fault while mid goes on serving.

usage: wsman_clients.py PORT EXPECTED_SYSTEMS EXPECTED_ASSOCIATORS
  EXPECTED_SYSTEMS: the Name keys of every CIM_ComputerSystem, comma-separated (from mi)
  EXPECTED_ASSOCIATORS: the DeviceID keys of web1's CIM_SystemDevice associators (from mi)
"""
import http.client
import sys
import uuid
import xml.etree.ElementTree as ET

port = int(sys.argv[1])
want_systems = sorted(sys.argv[2].split(","))
want_devices = sorted(sys.argv[3].split(","))

S = "http://www.w3.org/2003/05/soap-envelope"
WSA = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
WSEN = "http://schemas.xmlsoap.org/ws/2004/09/enumeration"
WSMAN = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
DMTF = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/"
WMI = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/"
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def envelope(action, uri, body, extra_headers="", selectors=""):
    """A request as WinRM's client sends one."""
    action_header = (f'<a:Action s:mustUnderstand="true">{action}</a:Action>' if action else "")
    uri_header = (f'<w:ResourceURI s:mustUnderstand="true">{uri}</w:ResourceURI>' if uri else "")
    sel = f"<w:SelectorSet>{selectors}</w:SelectorSet>" if selectors else ""
    return f"""<s:Envelope xmlns:s="{S}" xmlns:a="{WSA}" xmlns:n="{WSEN}" xmlns:w="{WSMAN}"
 xmlns:p="http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd"
 xmlns:b="http://schemas.dmtf.org/wbem/wsman/1/cimbinding.xsd">
<s:Header><a:To>http://127.0.0.1:{port}/wsman</a:To>{uri_header}
<a:ReplyTo><a:Address s:mustUnderstand="true">{WSA}/role/anonymous</a:Address></a:ReplyTo>
{action_header}<w:MaxEnvelopeSize s:mustUnderstand="true">512000</w:MaxEnvelopeSize>
<a:MessageID>uuid:{uuid.uuid4()}</a:MessageID>
<w:Locale xml:lang="en-US" s:mustUnderstand="false"/>
<p:DataLocale xml:lang="en-US" s:mustUnderstand="false"/>
<p:SessionId s:mustUnderstand="false">uuid:{uuid.uuid4()}</p:SessionId>
<p:OperationID s:mustUnderstand="false">uuid:{uuid.uuid4()}</p:OperationID>
<p:SequenceId s:mustUnderstand="false">1</p:SequenceId>
<w:OptionSet s:mustUnderstand="true"><w:Option Name="UseMaxEnvelopeSize">true</w:Option></w:OptionSet>
<w:OperationTimeout>PT60.000S</w:OperationTimeout>{sel}{extra_headers}</s:Header>
<s:Body>{body}</s:Body></s:Envelope>"""


def post(text, content_type="application/soap+xml;charset=UTF-8"):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("POST", "/wsman", text.encode(), {"Content-Type": content_type})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def parse(data):
    return ET.fromstring(data)


def subcode(root):
    v = root.find(f".//{{{S}}}Subcode/{{{S}}}Value")
    return v.text if v is not None else None


def serving():
    status, data = post(f'<s:Envelope xmlns:s="{S}" xmlns:i="http://schemas.dmtf.org/wbem/wsman/'
                        'identity/1/wsmanidentity.xsd"><s:Header/><s:Body><i:Identify/></s:Body>'
                        '</s:Envelope>')
    return status == 200 and b"IdentifyResponse" in data


# ---- python3-winrm's transport ----
try:
    from winrm.transport import Transport
    from winrm.exceptions import WinRMTransportError
except ImportError:
    Transport = None
if Transport is None:
    print("SKIP python3-winrm is not installed: its part is not run")
else:
    t = Transport(f"http://127.0.0.1:{port}/wsman", username="u", password="p",
                  auth_method="basic", server_cert_validation="ignore")
    t.build_session()

    def winrm(text):
        return parse(t.send_message(text))

    root = winrm(envelope(None, None, '<i:Identify xmlns:i="http://schemas.dmtf.org/wbem/wsman/'
                          'identity/1/wsmanidentity.xsd"/>'))
    check(root.find(".//{*}ProductVendor").text == "libmi", "winrm: Identify")
    # Enumerate then Pull one at a time, as WinRM's client does without optimization
    root = winrm(envelope(WSEN + "/Enumerate", WMI + "CIM_ComputerSystem",
                          "<n:Enumerate/>"))
    context = root.find(f".//{{{WSEN}}}EnumerationContext").text
    names = []
    for _ in range(100):
        root = winrm(envelope(WSEN + "/Pull", WMI + "CIM_ComputerSystem",
                              f"<n:Pull><n:EnumerationContext>{context}</n:EnumerationContext>"
                              "<n:MaxElements>1</n:MaxElements></n:Pull>"))
        names += [n.text for n in root.iter() if n.tag.endswith("}Name") and
                  n.tag.startswith("{" + WMI)]
        if root.find(f".//{{{WSEN}}}EndOfSequence") is not None:
            break
        context = root.find(f".//{{{WSEN}}}EnumerationContext").text
    check(sorted(names) == want_systems, f"winrm: Enumerate+Pull of CIM_ComputerSystem (WMI URI) "
          f"gives {sorted(names)}")
    # the association filter, object and EPR, optimized, as omicli would ask it
    assoc = f"""<n:Enumerate><w:OptimizeEnumeration/><w:MaxElements>1</w:MaxElements>
<w:EnumerationMode>EnumerateObjectAndEPR</w:EnumerationMode>
<w:Filter Dialect="http://schemas.dmtf.org/wbem/wsman/1/cimbinding/associationFilter">
<b:AssociatedInstances><b:Object><a:Address>{WSA}/role/anonymous</a:Address>
<a:ReferenceParameters><w:ResourceURI>{DMTF}CIM_ComputerSystem</w:ResourceURI><w:SelectorSet>
<w:Selector Name="__cimnamespace">root/cimv2</w:Selector>
<w:Selector Name="CreationClassName">CIM_ComputerSystem</w:Selector>
<w:Selector Name="Name">web1</w:Selector></w:SelectorSet></a:ReferenceParameters></b:Object>
<b:AssociationClassName>CIM_SystemDevice</b:AssociationClassName>
<b:IncludeResultProperty>DeviceID</b:IncludeResultProperty>
</b:AssociatedInstances></w:Filter></n:Enumerate>"""
    root = winrm(envelope(WSEN + "/Enumerate", "http://schemas.dmtf.org/wbem/wscim/1/*", assoc))
    devices = [n.text for n in root.iter() if n.tag.endswith("}DeviceID") and
               not n.tag.startswith("{" + WSMAN)]
    end = root.find(f".//{{{WSMAN}}}EndOfSequence") is not None
    pulls = 0
    while not end and pulls < 100:
        context = root.find(f".//{{{WSEN}}}EnumerationContext").text
        root = winrm(envelope(WSEN + "/Pull", "http://schemas.dmtf.org/wbem/wscim/1/*",
                              f"<n:Pull><n:EnumerationContext>{context}</n:EnumerationContext>"
                              "<n:MaxElements>1</n:MaxElements></n:Pull>"))
        devices += [n.text for n in root.iter() if n.tag.endswith("}DeviceID")]
        end = root.find(f".//{{{WSEN}}}EndOfSequence") is not None
        pulls += 1
    check(sorted(devices) == want_devices, f"winrm: associators of web1 through the association "
          f"filter, one at a time ({pulls} pulls) give {sorted(devices)}")
    eprs = [e for e in root.iter(f"{{{WSA}}}EndpointReference")]
    check(len(eprs) > 0, "winrm: EnumerateObjectAndEPR items carry endpoint references")
    # Release of an enumeration left open
    root = winrm(envelope(WSEN + "/Enumerate", DMTF + "CIM_ComputerSystem", "<n:Enumerate/>"))
    context = root.find(f".//{{{WSEN}}}EnumerationContext").text
    winrm(envelope(WSEN + "/Release", DMTF + "CIM_ComputerSystem",
                   f"<n:Release><n:EnumerationContext>{context}</n:EnumerationContext></n:Release>"))
    try:
        winrm(envelope(WSEN + "/Pull", DMTF + "CIM_ComputerSystem",
                       f"<n:Pull><n:EnumerationContext>{context}</n:EnumerationContext></n:Pull>"))
        check(False, "winrm: a released context is refused")
    except WinRMTransportError as e:
        check("InvalidEnumerationContext" in str(e.response_text),
              "winrm: a released context is refused with wsen:InvalidEnumerationContext")

# ---- bad input: the right fault, and mid goes on serving ----
sel_web1 = ('<w:Selector Name="CreationClassName">CIM_ComputerSystem</w:Selector>'
            '<w:Selector Name="Name">web1</w:Selector>')
status, data = post(envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Get",
                             DMTF + "CIM_ComputerSystem", "", selectors=sel_web1))
check(status == 200 and b"<p:Name t:t=\"string\">web1</p:Name>" in data, "Get of web1")
cases = [
    ("malformed envelope", "<s:Envelope xmlns:s='%s'><s:Body>" % S, "SchemaValidationError"),
    ("not an envelope", "<x/>", "SchemaValidationError"),
    ("unknown action", envelope("http://example.org/Frobnicate", DMTF + "CIM_ComputerSystem", ""),
     "ActionNotSupported"),
    ("no such instance", envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Get",
                                  DMTF + "CIM_ComputerSystem", "",
                                  selectors=sel_web1.replace("web1", "nosuch")),
     "DestinationUnreachable"),
    ("bad selectors", envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Get",
                               DMTF + "CIM_ComputerSystem", "",
                               selectors='<w:Selector Name="Bogus">1</w:Selector>'),
     "InvalidParameter"),
    ("unknown resource URI", envelope(WSEN + "/Enumerate", "http://example.org/x",
                                      "<n:Enumerate/>"), "DestinationUnreachable"),
    ("entity declaration", '<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x "y">]><s/>',
     "SchemaValidationError"),
    ("deep nesting", "<a>" * 200 + "</a>" * 200, "EncodingLimit"),
    ("MaxEnvelopeSize too small",
     envelope(WSEN + "/Enumerate", DMTF + "CIM_ComputerSystem", "<n:Enumerate/>").replace(
         ">512000<", ">100<"), "EncodingLimit"),
    ("unknown mustUnderstand header",
     envelope(WSEN + "/Enumerate", DMTF + "CIM_ComputerSystem", "<n:Enumerate/>",
              extra_headers='<x:Frob xmlns:x="urn:x" s:mustUnderstand="true"/>'), None),
    ("unknown filter dialect",
     envelope(WSEN + "/Enumerate", DMTF + "CIM_ComputerSystem",
              '<n:Enumerate><w:Filter Dialect="urn:xpath">//x</w:Filter></n:Enumerate>'),
     "FilterDialectRequestedUnavailable"),
    ("bad WQL", envelope(WSEN + "/Enumerate", DMTF + "CIM_ComputerSystem",
                         '<n:Enumerate><w:Filter Dialect="http://schemas.microsoft.com/wbem/'
                         'wsman/1/WQL">SELECT * FORM x</w:Filter></n:Enumerate>'),
     "CannotProcessFilter"),
    ("unknown enumeration context",
     envelope(WSEN + "/Pull", DMTF + "CIM_ComputerSystem",
              "<n:Pull><n:EnumerationContext>uuid:nope</n:EnumerationContext></n:Pull>"),
     "InvalidEnumerationContext"),
    ("fragment transfer", envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Get",
                                   DMTF + "CIM_ComputerSystem", "",
                                   extra_headers="<w:FragmentTransfer>Name</w:FragmentTransfer>",
                                   selectors=sel_web1), "UnsupportedFeature"),
]
for what, text, want in cases:
    status, data = post(text)
    try:
        root = parse(data)
        code = root.find(f".//{{{S}}}Code/{{{S}}}Value").text
        sub = subcode(root)
        cim = root.find(".//{*}CIMStatusCode")
    except Exception as e:  # noqa: BLE001 - the answer itself is what is tested
        check(False, f"{what}: an answer that is not a SOAP fault ({e}): {data[:200]!r}")
        continue
    if want is None:
        ok = status == 500 and code.endswith("MustUnderstand")
    else:
        ok = status == 500 and sub is not None and sub.endswith(":" + want)
    check(ok and cim is not None, f"{what}: HTTP {status}, {code} {sub}, CIM_Error "
          f"{cim.text if cim is not None else None}")
    check(serving(), f"{what}: mid still serving")
# an envelope over mid's body limit: refused on its Content-Length, before it is read
c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
c.putrequest("POST", "/wsman")
c.putheader("Content-Type", "application/soap+xml;charset=UTF-8")
c.putheader("Content-Length", str(40 << 20))
c.endheaders()
status = c.getresponse().status
c.close()
check(status == 413, f"oversize envelope: HTTP {status}")
check(serving(), "oversize envelope: mid still serving")
sys.exit(1 if failures else 0)
