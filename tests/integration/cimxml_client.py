"""A small CIM-XML client (DSP0200) for the tests: the requests pywbem and pywbemcli send,
built and read with the standard library only.

    c = Client("http://127.0.0.1:5988", "alice", "secret")
    c.call("EnumerateInstances", "root/cimv2", ClassName=classname("CIM_LogicalDevice"),
           DeepInheritance=False)
Each keyword becomes an IPARAMVALUE: a bool or str is a VALUE, a list a VALUE.ARRAY,
an Xml (classname(), instancename(), instance(), named_instance()) is put as it is.
call() returns the IRETURNVALUE element (or None) and raises CIMError for an ERROR.
"""
import base64
import http.client
import urllib.parse
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr


class CIMError(Exception):
    def __init__(self, code, description):
        super().__init__(f"CIM error {code}: {description}")
        self.code, self.description = code, description


class Xml(str):
    """Markup to put into a request as it is."""


def classname(name):
    return Xml(f"<CLASSNAME NAME={quoteattr(name)}/>")


def _keyvalue(value):
    if isinstance(value, bool):
        return f'<KEYVALUE VALUETYPE="boolean">{"TRUE" if value else "FALSE"}</KEYVALUE>'
    if isinstance(value, int):
        return f'<KEYVALUE VALUETYPE="numeric">{value}</KEYVALUE>'
    return f'<KEYVALUE VALUETYPE="string">{escape(value)}</KEYVALUE>'


def instancename(cls, keys):
    bindings = "".join(f"<KEYBINDING NAME={quoteattr(k)}>{_keyvalue(v)}</KEYBINDING>"
                       for k, v in keys.items())
    return Xml(f"<INSTANCENAME CLASSNAME={quoteattr(cls)}>{bindings}</INSTANCENAME>")


def instance(cls, properties):
    """properties: name -> (type, value); value None for NULL, a list for an array."""
    parts = []
    for name, (typ, value) in properties.items():
        if isinstance(value, list):
            items = "".join(f"<VALUE>{escape(str(v))}</VALUE>" for v in value)
            parts.append(f"<PROPERTY.ARRAY NAME={quoteattr(name)} TYPE={quoteattr(typ)}>"
                         f"<VALUE.ARRAY>{items}</VALUE.ARRAY></PROPERTY.ARRAY>")
        else:
            inner = "" if value is None else f"<VALUE>{escape(str(value))}</VALUE>"
            parts.append(f"<PROPERTY NAME={quoteattr(name)} TYPE={quoteattr(typ)}>{inner}</PROPERTY>")
    return Xml(f"<INSTANCE CLASSNAME={quoteattr(cls)}>{''.join(parts)}</INSTANCE>")


def named_instance(name, inst):
    return Xml(f"<VALUE.NAMEDINSTANCE>{name}{inst}</VALUE.NAMEDINSTANCE>")


def _param(name, value):
    if value is None:
        return f"<IPARAMVALUE NAME={quoteattr(name)}/>"
    if isinstance(value, bool):
        inner = f"<VALUE>{'TRUE' if value else 'FALSE'}</VALUE>"
    elif isinstance(value, Xml):
        inner = value
    elif isinstance(value, list):
        inner = "<VALUE.ARRAY>" + "".join(f"<VALUE>{escape(v)}</VALUE>" for v in value) + \
            "</VALUE.ARRAY>"
    else:
        inner = f"<VALUE>{escape(str(value))}</VALUE>"
    return f"<IPARAMVALUE NAME={quoteattr(name)}>{inner}</IPARAMVALUE>"


def _namespace(ns):
    return "<LOCALNAMESPACEPATH>" + "".join(
        f"<NAMESPACE NAME={quoteattr(n)}/>" for n in ns.split("/")) + "</LOCALNAMESPACEPATH>"


class Client:
    def __init__(self, url, user=None, password=None):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port or 5988
        self.auth = None
        if user:
            token = base64.b64encode(f"{user}:{password}".encode()).decode()
            self.auth = f"Basic {token}"
        self.last_status = None

    def post(self, method, body, headers_extra=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Content-Type": 'application/xml; charset="utf-8"',
                   "CIMOperation": "MethodCall", "CIMMethod": method}
        if self.auth:
            headers["Authorization"] = self.auth
        headers.update(headers_extra or {})
        conn.request("POST", "/cimom", body.encode(), headers)
        resp = conn.getresponse()
        data = resp.read()
        self.last_status = resp.status
        self.last_headers = dict(resp.getheaders())
        conn.close()
        return resp.status, data

    @staticmethod
    def _body(method, ns, params):
        return ('<?xml version="1.0" encoding="utf-8"?><CIM CIMVERSION="2.0" DTDVERSION="2.0">'
                '<MESSAGE ID="1001" PROTOCOLVERSION="1.0"><SIMPLEREQ>'
                f"<IMETHODCALL NAME={quoteattr(method)}>{_namespace(ns)}"
                + "".join(_param(k, v) for k, v in params.items())
                + "</IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>")

    def call_whole(self, method, ns, **params):
        """The IMETHODRESPONSE element itself (its IRETURNVALUE and PARAMVALUEs)."""
        status, data = self.post(method, self._body(method, ns, params),
                                 {"CIMObject": urllib.parse.quote(ns)})
        if status != 200:
            raise RuntimeError(f"{method}: HTTP {status}")
        rsp = ET.fromstring(data).find("MESSAGE/SIMPLERSP/IMETHODRESPONSE")
        err = rsp.find("ERROR") if rsp is not None else None
        if err is not None:
            raise CIMError(int(err.get("CODE")), err.get("DESCRIPTION"))
        return rsp

    def call(self, method, ns, **params):
        status, data = self.post(method, self._body(method, ns, params),
                                 {"CIMObject": urllib.parse.quote(ns)})
        if status != 200:
            raise RuntimeError(f"{method}: HTTP {status} {self.last_headers.get('CIMError', '')}"
                               f" {data[:300]!r}")
        return self._answer(data, "IMETHODRESPONSE")

    def invoke(self, ns, cls, method, keys=None):
        target = (f"<LOCALINSTANCEPATH>{_namespace(ns)}{instancename(cls, keys)}</LOCALINSTANCEPATH>"
                  if keys else f"<LOCALCLASSPATH>{_namespace(ns)}{classname(cls)}</LOCALCLASSPATH>")
        body = ('<?xml version="1.0" encoding="utf-8"?><CIM CIMVERSION="2.0" DTDVERSION="2.0">'
                '<MESSAGE ID="1002" PROTOCOLVERSION="1.0"><SIMPLEREQ>'
                f"<METHODCALL NAME={quoteattr(method)}>{target}"
                '<PARAMVALUE NAME="Level" PARAMTYPE="uint32"><VALUE>1</VALUE></PARAMVALUE>'
                "</METHODCALL></SIMPLEREQ></MESSAGE></CIM>")
        status, data = self.post(method, body, {"CIMObject": urllib.parse.quote(ns)})
        if status != 200:
            raise RuntimeError(f"{method}: HTTP {status}")
        return self._answer(data, "METHODRESPONSE")

    @staticmethod
    def _answer(data, response):
        root = ET.fromstring(data)
        rsp = root.find(f"MESSAGE/SIMPLERSP/{response}")
        if rsp is None:
            raise RuntimeError(f"no {response} in {data[:300]!r}")
        err = rsp.find("ERROR")
        if err is not None:
            raise CIMError(int(err.get("CODE")), err.get("DESCRIPTION"))
        return rsp.find("IRETURNVALUE")


def properties(inst):
    """An INSTANCE element's properties: name -> text, list of texts, or None."""
    out = {}
    for p in inst:
        if p.tag == "PROPERTY":
            v = p.find("VALUE")
            out[p.get("NAME")] = None if v is None else (v.text or "")
        elif p.tag == "PROPERTY.ARRAY":
            a = p.find("VALUE.ARRAY")
            out[p.get("NAME")] = None if a is None else [v.text or "" for v in a]
        elif p.tag == "PROPERTY.REFERENCE":
            out[p.get("NAME")] = p.find("VALUE.REFERENCE")
    return out


def keybindings(name):
    """An INSTANCENAME element's keys: name -> text, in the order given."""
    return {k.get("NAME"): (k.find("KEYVALUE").text if k.find("KEYVALUE") is not None else None)
            for k in name.findall("KEYBINDING")}
